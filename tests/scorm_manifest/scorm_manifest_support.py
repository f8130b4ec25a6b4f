"""SCORM manifests for the manifest reader's tests, written the way common authoring tools
write them (Articulate Storyline and Rise, iSpring, Adobe Captivate, hand-made SCORM 2004
courses), and helpers that lay them out as a package folder or a zip."""

import io
import warnings
import zipfile
from pathlib import Path

CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"

PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>'
HTML = "<!doctype html><title>SCO</title><script src='scormdriver.js'></script>"
ACTIVITY_IRI = "http://pathway.test/activities/u1-scorm-recognising-restrictions"

XXE = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE manifest [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>"""


def storyline_12(*, masteryscore="80", href="index_lms.html", title="Recognising restrictions",
                 schemaversion="<schemaversion>1.2</schemaversion>", prolog=PROLOG,
                 scormtype='adlcp:scormtype="sco"', item_extra="", parameters="") -> str:
    """A SCORM 1.2 manifest with one SCO, as Articulate Storyline exports it."""
    mastery = f"<adlcp:masteryscore>{masteryscore}</adlcp:masteryscore>" if masteryscore else ""
    params = f' parameters="{parameters}"' if parameters else ""
    return f"""{prolog}
<manifest identifier="RecognisingRestrictions_SCORM12" version="1.2"
    xmlns="{CP_12}" xmlns:adlcp="{ADLCP_12}"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="{CP_12} imscp_rootv1p1p2.xsd {ADLCP_12} adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    {schemaversion}
  </metadata>
  <organizations default="RecognisingRestrictions_ORG">
    <organization identifier="RecognisingRestrictions_ORG">
      <title>{title}</title>
      <item identifier="RecognisingRestrictions_SCO" identifierref="RecognisingRestrictions_RES"
            isvisible="true"{params}>
        <title>{title}</title>
        {mastery}
        {item_extra}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RecognisingRestrictions_RES" type="webcontent" {scormtype}
              href="{href}">
      <file href="index_lms.html"/>
      <file href="story.html"/>
      <file href="story_content/data.js"/>
      <file href="lms/scormdriver.js"/>
    </resource>
  </resources>
</manifest>
"""


def storyline_12_entries(**manifest) -> dict:
    """The files of a Storyline SCORM 1.2 export."""
    return {"imsmanifest.xml": storyline_12(**manifest), "index_lms.html": HTML,
            "story.html": HTML, "story_content/data.js": "window.data = {};",
            "lms/scormdriver.js": "var API = null;", "adlcp_rootv1p2.xsd": "<xs/>",
            "imscp_rootv1p1p2.xsd": "<xs/>"}


def rise_12_entries() -> dict:
    """The files of an Articulate Rise SCORM 1.2 export: the SCO is the SCORM driver's
    page, the course in `scormcontent/`."""
    manifest = f"""{PROLOG}
<manifest identifier="Rise_Course_1_2" version="1.0" xmlns="{CP_12}" xmlns:adlcp="{ADLCP_12}">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="Rise_Course_ORG">
    <organization identifier="Rise_Course_ORG">
      <title>Positive behaviour support in practice</title>
      <item identifier="Rise_Course_SCO" identifierref="Rise_Course_RES">
        <title>Positive behaviour support in practice</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="Rise_Course_RES" type="webcontent" adlcp:scormtype="sco"
              href="scormdriver/indexAPI.html">
      <file href="scormdriver/indexAPI.html"/>
      <file href="scormcontent/index.html"/>
    </resource>
  </resources>
</manifest>
"""
    return {"imsmanifest.xml": manifest, "scormdriver/indexAPI.html": HTML,
            "scormcontent/index.html": HTML}


def sequencing(*, objective="", satisfied_by_measure=None, min_measure=None, extra="",
               idref="") -> str:
    """An imsss:sequencing element with a primary objective."""
    attributes = f' IDRef="{idref}"' if idref else ""
    if satisfied_by_measure is None and min_measure is None and not objective:
        return f"<imsss:sequencing{attributes}>{extra}</imsss:sequencing>"
    by_measure = ("" if satisfied_by_measure is None
                  else f' satisfiedByMeasure="{str(satisfied_by_measure).lower()}"')
    measure = ("" if min_measure is None
               else f"<imsss:minNormalizedMeasure>{min_measure}</imsss:minNormalizedMeasure>")
    objective_id = f' objectiveID="{objective}"' if objective else ""
    return f"""<imsss:sequencing{attributes}>
          {extra}
          <imsss:objectives>
            <imsss:primaryObjective{objective_id}{by_measure}>{measure}</imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>"""


def scorm2004(items: str, resources: str, *, schemaversion="2004 3rd Edition",
              organization_extra="", manifest_extra="", title="Least restrictive support",
              default="ORG-1", organizations_extra="", resources_base="",
              prolog=PROLOG, root_namespace=CP_2004) -> str:
    """A SCORM 2004 manifest around `items` (the organization's children after its title)
    and `resources` (the `<resources>` element's children)."""
    version = f"<schemaversion>{schemaversion}</schemaversion>" if schemaversion else ""
    base = f' xml:base="{resources_base}"' if resources_base else ""
    return f"""{prolog}
<manifest identifier="LeastRestrictive_2004" version="1"
    xmlns="{root_namespace}" xmlns:adlcp="{ADLCP_2004}" xmlns:adlseq="{ADLSEQ}"
    xmlns:adlnav="{ADLNAV}" xmlns:imsss="{IMSSS}"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata>
    <schema>ADL SCORM</schema>
    {version}
  </metadata>
  <organizations default="{default}">
    <organization identifier="ORG-1" adlseq:objectivesGlobalToSystem="false">
      <title>{title}</title>
      {items}
      {organization_extra}
    </organization>
    {organizations_extra}
  </organizations>
  <resources{base}>
    {resources}
  </resources>
  {manifest_extra}
</manifest>
"""


def sco_resource(identifier: str, href: str, *, scormtype="sco", base="", files=(),
                 dependencies=("common",)) -> str:
    """A `<resource>` (SCORM 2004 spelling `adlcp:scormType`)."""
    xml_base = f' xml:base="{base}"' if base else ""
    listed = "".join(f'<file href="{f}"/>' for f in (files or (href.split("?")[0],)))
    depends = "".join(f'<dependency identifierref="{d}"/>' for d in dependencies)
    return (f'<resource identifier="{identifier}" type="webcontent" '
            f'adlcp:scormType="{scormtype}" href="{href}"{xml_base}>{listed}{depends}'
            "</resource>")


COMMON = ('<resource identifier="common" type="webcontent" adlcp:scormType="asset">'
          '<file href="shared/scorm.js"/></resource>')


def two_scos_2004_3rd() -> str:
    """SCORM 2004 3rd edition: two SCOs, one with a completion threshold and a primary
    objective satisfied by measure (0.7), the other satisfied by measure with no minimum;
    flow and choice on the organization, as Captivate writes them."""
    items = f"""
      <item identifier="ITEM-intro" identifierref="RES-intro">
        <title>What a restriction is</title>
        <adlcp:completionThreshold>0.8</adlcp:completionThreshold>
        <adlcp:dataFromLMS>chapter=1</adlcp:dataFromLMS>
        {sequencing(objective="intro.primary", satisfied_by_measure=True, min_measure="0.7")}
      </item>
      <item identifier="ITEM-quiz" identifierref="RES-quiz">
        <title>Check your understanding</title>
        {sequencing(objective="quiz.primary", satisfied_by_measure=True)}
      </item>"""
    organization_sequencing = """<imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>"""
    resources = (sco_resource("RES-intro", "intro/index.html")
                 + sco_resource("RES-quiz", "quiz/index.html") + COMMON)
    return scorm2004(items, resources, organization_extra=organization_sequencing)


def two_scos_2004_entries() -> dict:
    return {"imsmanifest.xml": two_scos_2004_3rd(), "intro/index.html": HTML,
            "quiz/index.html": HTML, "shared/scorm.js": "var API_1484_11 = null;"}


def fourth_edition() -> str:
    """SCORM 2004 4th edition: a completion threshold given by attributes, a time limit, a
    time limit action and launch data."""
    items = f"""
      <item identifier="ITEM-1" identifierref="RES-1">
        <title>Data-based decisions</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"
                                   progressWeight="0.5"/>
        <adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>
        <adlcp:dataFromLMS>mode=practice</adlcp:dataFromLMS>
        {sequencing(extra='<imsss:limitConditions attemptAbsoluteDurationLimit="PT1H30M"/>')}
      </item>"""
    return scorm2004(items, sco_resource("RES-1", "index.html", dependencies=()),
                     schemaversion="2004 4th Edition", title="Data-based decisions")


def write_folder(folder: Path, entries: dict) -> Path:
    """Lay `entries` ({name: text or bytes}) out under `folder` as an extracted package."""
    for name, data in entries.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return folder


def make_zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of `entries`: a dict {name: data}, or (name, data) pairs (which may repeat)."""
    buffer = io.BytesIO()
    items = entries.items() if isinstance(entries, dict) else entries
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in items:
                archive.writestr(name, data)
    return buffer.getvalue()
