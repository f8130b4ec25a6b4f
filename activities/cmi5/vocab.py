"""The cmi5 vocabulary (verbs, activity types, categories and extensions), as the cmi5
specification (Quartz) defines them."""

ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/"

LAUNCHED = ADL + "launched"
INITIALIZED = ADL + "initialized"
COMPLETED = ADL + "completed"
PASSED = ADL + "passed"
FAILED = ADL + "failed"
TERMINATED = ADL + "terminated"
ABANDONED = ADL_W3ID + "abandoned"
WAIVED = ADL_W3ID + "waived"
SATISFIED = ADL_W3ID + "satisfied"

VERB_NAMES = {LAUNCHED: "launched", INITIALIZED: "initialized", COMPLETED: "completed",
              PASSED: "passed", FAILED: "failed", TERMINATED: "terminated",
              ABANDONED: "abandoned", WAIVED: "waived", SATISFIED: "satisfied"}

# Verbs only the LMS uses (statements Pathway records itself).
LMS_VERBS = frozenset({LAUNCHED, ABANDONED, WAIVED, SATISFIED})

COURSE_TYPE = CMI5 + "activitytype/course"
BLOCK_TYPE = CMI5 + "activitytype/block"

CATEGORY_CMI5 = CMI5 + "context/categories/cmi5"
CATEGORY_MOVEON = CMI5 + "context/categories/moveon"

SESSION_ID = CMI5 + "context/extensions/sessionid"
MASTERY_SCORE = CMI5 + "context/extensions/masteryscore"
LAUNCH_MODE = CMI5 + "context/extensions/launchmode"
LAUNCH_URL = CMI5 + "context/extensions/launchurl"
MOVE_ON = CMI5 + "context/extensions/moveon"
LAUNCH_PARAMETERS = CMI5 + "context/extensions/launchparameters"
PROGRESS = CMI5 + "result/extensions/progress"
REASON = CMI5 + "result/extensions/reason"

LAUNCH_DATA = "LMS.LaunchData"
LEARNER_PREFERENCES = "cmi5LearnerPreferences"

LAUNCH_MODES = ("Normal", "Browse", "Review")
WAIVE_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity",
                 "Administrative")
