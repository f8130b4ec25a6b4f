"""Reading SCORM manifests as authoring tools write them: the edition, the organization's
items in table-of-contents order, SCOs and assets, launch paths (xml:base, parameters,
percent-encoding), what each item hands its SCO, the activity ids and the sequencing features
Pathway does not honour."""

import json

import pytest
from scorm_manifest_support import (
    ACTIVITY_IRI,
    COMMON,
    HTML,
    fourth_edition,
    rise_12_entries,
    sco_resource,
    scorm2004,
    sequencing,
    storyline_12,
    storyline_12_entries,
    two_scos_2004_entries,
    write_folder,
)

from lms.content import operations, scorm_manifest
from lms.content.scorm_manifest import has_manifest, join_parameters, read_package, sco_iri
from lms.content.scorm_sequencing import (
    CONTROL_MODE,
    DURATION_LIMIT,
    GLOBAL_OBJECTIVES,
    PREREQUISITES,
    ROLLUP_RULES,
    SEQUENCING_RULES,
)


def read(tmp_path, entries, activity_iri=ACTIVITY_IRI):
    return read_package(write_folder(tmp_path, entries), activity_iri)


# -- SCORM 1.2 --------------------------------------------------------------------------------

def test_a_storyline_scorm_12_export_is_one_sco_with_its_mastery_score(tmp_path):
    package = read(tmp_path, storyline_12_entries())
    assert (package.kind, package.edition, package.version) == ("scorm12", "1.2", "1.2")
    assert package.title == "Recognising restrictions"
    assert package.launch_path == "index_lms.html"
    assert package.root_activity_id == ACTIVITY_IRI
    [sco] = package.items
    assert (sco.identifier, sco.sco, sco.depth, sco.parent) == (
        "RecognisingRestrictions_SCO", True, 0, None)
    assert sco.data == {"mastery_score": 80}
    assert sco.activity_id == f"{ACTIVITY_IRI}/scos/RecognisingRestrictions_SCO"
    assert package.activity_ids == [ACTIVITY_IRI, sco.activity_id]
    assert package.unsupported == ()


def test_the_scorm_12_item_data_is_kept_for_the_runtime(tmp_path):
    extra = """<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
        <adlcp:timelimitaction>Exit, Message</adlcp:timelimitaction>
        <adlcp:datafromlms>  lang=en-GB;start=2  </adlcp:datafromlms>
        <adlcp:prerequisites type="aicc_script">INTRO</adlcp:prerequisites>"""
    package = read(tmp_path, storyline_12_entries(masteryscore="72.5", item_extra=extra))
    assert package.items[0].data == {
        "mastery_score": 72.5, "max_time_allowed": "00:30:00",
        "time_limit_action": "exit,message", "launch_data": "lang=en-GB;start=2",
        "prerequisites": {"type": "aicc_script", "expression": "INTRO"}}
    assert package.unsupported == (PREREQUISITES,)


def test_a_rise_export_launches_the_scorm_driver_page(tmp_path):
    package = read(tmp_path, rise_12_entries())
    assert package.kind == "scorm12"
    assert package.launch_path == "scormdriver/indexAPI.html"
    assert package.title == "Positive behaviour support in practice"


def test_without_a_schemaversion_the_adl_12_namespace_says_scorm_12(tmp_path):
    package = read(tmp_path, storyline_12_entries(schemaversion=""))
    assert (package.kind, package.edition, package.manifest()["schemaversion"]) == (
        "scorm12", "1.2", None)


def test_scormtype_is_read_whatever_its_case(tmp_path):
    package = read(tmp_path, storyline_12_entries(scormtype='adlcp:scormType="SCO"'))
    assert package.items[0].sco is True


def test_a_resource_without_scormtype_is_an_asset_launched_but_not_tracked(tmp_path):
    package = read(tmp_path, storyline_12_entries(scormtype=""))
    [item] = package.items
    assert (item.sco, item.activity_id, item.launch_path) == (False, None, "index_lms.html")
    assert package.activity_ids == [ACTIVITY_IRI]


def test_a_package_zipped_inside_its_folder_launches_from_that_folder(tmp_path):
    entries = {f"course/{name}": data for name, data in storyline_12_entries().items()}
    entries["__MACOSX/course/._index_lms.html"] = "resource fork"
    assert has_manifest(write_folder(tmp_path, entries))
    assert read_package(tmp_path, ACTIVITY_IRI).launch_path == "course/index_lms.html"


def test_has_manifest_only_for_an_imsmanifest(tmp_path):
    assert not has_manifest(write_folder(tmp_path, {"tincan.xml": "<tincan/>",
                                                    "index.html": HTML}))


def test_the_reader_is_the_one_operations_uses_for_both_scorm_kinds():
    assert operations.READERS["scorm12"] == ("imsmanifest.xml", scorm_manifest.__name__)
    assert operations.READERS["scorm2004"] == ("imsmanifest.xml", scorm_manifest.__name__)


# -- SCORM 2004 ----------------------------------------------------------------------------------

def test_a_2004_3rd_edition_course_with_two_scos_a_threshold_and_objectives(tmp_path):
    package = read(tmp_path, two_scos_2004_entries())
    assert (package.kind, package.edition, package.version) == (
        "scorm2004", "2004 3rd Edition", "2004")
    assert package.title == "Least restrictive support"
    assert package.launch_path == "intro/index.html"
    intro, quiz = package.items
    assert intro.data == {
        "completion_threshold": 0.8, "launch_data": "chapter=1",
        "satisfied_by_measure": True, "min_normalized_measure": 0.7,
        "scaled_passing_score": 0.7, "objectives": ["intro.primary"]}
    # satisfiedByMeasure with no minNormalizedMeasure: the default 1.0
    assert quiz.data == {"satisfied_by_measure": True, "scaled_passing_score": 1.0,
                         "objectives": ["quiz.primary"]}
    assert [i.launch_path for i in package.items] == ["intro/index.html", "quiz/index.html"]
    assert package.activity_ids == [ACTIVITY_IRI, f"{ACTIVITY_IRI}/scos/ITEM-intro",
                                    f"{ACTIVITY_IRI}/scos/ITEM-quiz"]
    assert package.unsupported == (CONTROL_MODE,)
    assert package.item("ITEM-quiz") is quiz
    with pytest.raises(KeyError):
        package.item("ITEM-missing")


def test_a_4th_edition_completion_threshold_is_read_from_its_attributes(tmp_path):
    package = read(tmp_path, {"imsmanifest.xml": fourth_edition(), "index.html": HTML})
    assert package.edition == "2004 4th Edition"
    assert package.items[0].data == {
        "completed_by_measure": True, "min_progress_measure": 0.75, "progress_weight": 0.5,
        "completion_threshold": 0.75, "time_limit_action": "exit,message",
        "launch_data": "mode=practice", "max_time_allowed": "PT1H30M"}
    assert package.unsupported == (DURATION_LIMIT,)


@pytest.mark.parametrize(("threshold", "expected"), [
    ('<adlcp:completionThreshold completedByMeasure="true"/>',
     {"completed_by_measure": True, "completion_threshold": 1.0}),
    ('<adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.6"/>',
     {"completed_by_measure": False, "min_progress_measure": 0.6,
      "completion_threshold": 0.6}),
    ("<adlcp:completionThreshold>1</adlcp:completionThreshold>", {"completion_threshold": 1.0}),
])
def test_completion_thresholds_as_adls_sample_runtime_reads_them(tmp_path, threshold,
                                                                  expected):
    items = f'<item identifier="I1" identifierref="R1"><title>One</title>{threshold}</item>'
    manifest = scorm2004(items, sco_resource("R1", "index.html", dependencies=()))
    package = read(tmp_path, {"imsmanifest.xml": manifest, "index.html": HTML})
    assert package.items[0].data == expected


@pytest.mark.parametrize(("schemaversion", "edition"), [
    ("CAM 1.3", "2004 2nd Edition"),
    ("2004 3rd Edition", "2004 3rd Edition"),
    ("2004 4th Edition", "2004 4th Edition"),
    ("", "2004 3rd Edition"),  # no schemaversion: the 2004 namespaces decide
])
def test_the_2004_edition_comes_from_schemaversion_or_the_namespaces(tmp_path, schemaversion,
                                                                     edition):
    items = '<item identifier="I1" identifierref="R1"><title>One</title></item>'
    manifest = scorm2004(items, sco_resource("R1", "index.html", dependencies=()),
                         schemaversion=schemaversion)
    package = read(tmp_path, {"imsmanifest.xml": manifest, "index.html": HTML})
    assert (package.kind, package.edition) == ("scorm2004", edition)


def test_ispring_resources_with_xml_base_launch_from_their_folder(tmp_path):
    items = """<item identifier="ISPRING_ITEM" identifierref="ISPRING_RES">
        <title>Sensory preferences</title></item>"""
    resources = sco_resource("ISPRING_RES", "index.html", base="res/",
                             files=("index.html", "data/player.js"), dependencies=())
    manifest = scorm2004(items, resources, resources_base="content")
    package = read(tmp_path, {"imsmanifest.xml": manifest, "content/res/index.html": HTML,
                              "content/res/data/player.js": ""})
    assert package.launch_path == "content/res/index.html"
    assert package.manifest()["resources"] == [{
        "identifier": "ISPRING_RES", "type": "webcontent", "scormtype": "sco",
        "href": "index.html", "xml_base": "content/res/", "file_count": 2,
        "dependencies": []}]


def test_a_multi_level_organization_gives_the_table_of_contents(tmp_path):
    items = """
      <item identifier="MODULE-1"><title>Module 1: rights</title>
        <item identifier="LESSON-1" identifierref="R1"><title>Lesson 1</title></item>
        <item identifier="TOPIC-2"><title>Topic 2</title>
          <item identifier="LESSON-2" identifierref="R2"><title>Lesson 2</title></item>
          <item identifier="HANDOUT" identifierref="R3" isvisible="false">
            <title>Handout</title></item>
        </item>
      </item>
      <item identifier="MODULE-2" identifierref="R4"><title>Module 2 quiz</title></item>"""
    resources = (sco_resource("R1", "l1.html", dependencies=())
                 + sco_resource("R2", "l2.html", dependencies=())
                 + sco_resource("R3", "handout.pdf", scormtype="asset", dependencies=())
                 + sco_resource("R4", "quiz.html", dependencies=()))
    entries = {"imsmanifest.xml": scorm2004(items, resources), "l1.html": HTML,
               "l2.html": HTML, "handout.pdf": b"%PDF", "quiz.html": HTML}
    package = read(tmp_path, entries)
    table = [(i.identifier, i.depth, i.parent, i.sco, i.visible, i.launch_path)
             for i in package.items]
    assert table == [
        ("MODULE-1", 0, None, False, True, None),
        ("LESSON-1", 1, "MODULE-1", True, True, "l1.html"),
        ("TOPIC-2", 1, "MODULE-1", False, True, None),
        ("LESSON-2", 2, "TOPIC-2", True, True, "l2.html"),
        ("HANDOUT", 2, "TOPIC-2", False, False, "handout.pdf"),
        ("MODULE-2", 0, None, True, True, "quiz.html"),
    ]
    assert [i.identifier for i in package.scos] == ["LESSON-1", "LESSON-2", "MODULE-2"]
    assert package.launch_path == "l1.html"
    json_items = package.manifest()["items"]
    assert [i["identifier"] for i in json_items] == [row[0] for row in table]
    assert json_items[3] == {
        "identifier": "LESSON-2", "title": "Lesson 2", "depth": 2, "parent": "TOPIC-2",
        "isvisible": True, "resource": "R2", "launch_path": "l2.html", "sco": True,
        "activity_id": f"{ACTIVITY_IRI}/scos/LESSON-2", "data": {}}


def test_an_asset_before_the_first_sco_does_not_become_the_launch_path(tmp_path):
    items = """<item identifier="WELCOME" identifierref="R0"><title>Welcome</title></item>
      <item identifier="SCO-1" identifierref="R1"><title>Lesson</title></item>"""
    resources = (sco_resource("R0", "welcome.html", scormtype="asset", dependencies=())
                 + sco_resource("R1", "lesson.html", dependencies=()))
    package = read(tmp_path, {"imsmanifest.xml": scorm2004(items, resources),
                              "welcome.html": HTML, "lesson.html": HTML})
    assert package.launch_path == "lesson.html"
    assert [i.launch_path for i in package.items] == ["welcome.html", "lesson.html"]


@pytest.mark.parametrize(("href", "parameters", "launch_path"), [
    ("index.html", "?page=2", "index.html?page=2"),
    ("index.html", "page=2", "index.html?page=2"),
    ("index.html?lang=en", "?page=2", "index.html?lang=en&page=2"),
    ("index.html?lang=en", "&amp;page=2", "index.html?lang=en&page=2"),
    ("index.html", "#intro", "index.html#intro"),
    ("index.html#top", "#intro", "index.html#top"),  # the href's own fragment wins
    ("index.html#top", "?page=2", "index.html?page=2#top"),  # the query goes first
    ("index.html", "?page=2#intro", "index.html?page=2#intro"),
    ("index.html?lang=en#top", "", "index.html?lang=en#top"),
    ("My%20Course/start%20page.html", "", "My Course/start page.html"),
    ("./lessons/../index.html", "", "index.html"),
])
def test_launch_paths_join_the_item_parameters_as_the_spec_says(tmp_path, href, parameters,
                                                                launch_path):
    params = f' parameters="{parameters}"' if parameters else ""
    items = f'<item identifier="I1" identifierref="R1"{params}><title>One</title></item>'
    resources = sco_resource("R1", href, files=("index.html",), dependencies=())
    package = read(tmp_path, {"imsmanifest.xml": scorm2004(items, resources),
                              "index.html": HTML, "My Course/start page.html": HTML})
    assert package.launch_path == launch_path


def test_scorm_12_item_parameters_are_joined_too(tmp_path):
    package = read(tmp_path, storyline_12_entries(parameters="?resume=1",
                                                  href="index_lms.html?tracking=lms"))
    assert package.launch_path == "index_lms.html?tracking=lms&resume=1"


def test_join_parameters_keeps_an_empty_parameter_out():
    assert join_parameters("", "", "?") == ("", "")
    assert join_parameters("a=1", "", "&&b=2") == ("a=1&b=2", "")


def test_the_default_organization_is_used_and_the_others_noted(tmp_path):
    other = """<organization identifier="ORG-2"><title>Second</title>
        <item identifier="I2" identifierref="R1"><title>Two</title></item></organization>"""
    items = '<item identifier="I1" identifierref="R1"><title>One</title></item>'
    resources = sco_resource("R1", "index.html", dependencies=())
    entries = {"index.html": HTML}
    package = read(tmp_path, {**entries, "imsmanifest.xml": scorm2004(
        items, resources, default="ORG-2", organizations_extra=other)})
    assert (package.title, [i.identifier for i in package.items]) == ("Second", ["I2"])
    assert package.organization == {"identifier": "ORG-2", "title": "Second",
                                    "structure": "hierarchical"}
    assert "the manifest has 2 organizations; only 'ORG-2' is used" in package.unsupported


def test_an_organizations_default_naming_nothing_falls_back_to_the_first(tmp_path):
    items = '<item identifier="I1" identifierref="R1"><title>One</title></item>'
    manifest = scorm2004(items, sco_resource("R1", "index.html", dependencies=()),
                         default="ORG-9")
    package = read(tmp_path, {"imsmanifest.xml": manifest, "index.html": HTML})
    assert package.organization["identifier"] == "ORG-1"
    assert any("'ORG-9' names no <organization>" in n for n in package.unsupported)


def test_the_title_falls_back_to_the_first_item_then_the_manifest_identifier(tmp_path):
    items = '<item identifier="I1" identifierref="R1"><title>First lesson</title></item>'
    resources = sco_resource("R1", "index.html", dependencies=())
    untitled = scorm2004(items, resources).replace(
        "<title>Least restrictive support</title>", "")
    assert read(tmp_path, {"imsmanifest.xml": untitled, "index.html": HTML}).title == \
        "First lesson"
    bare = untitled.replace("<title>First lesson</title>", "")
    package = read(tmp_path, {"imsmanifest.xml": bare, "index.html": HTML})
    assert (package.title, package.items[0].title) == ("LeastRestrictive_2004", "I1")


def test_a_manifest_without_an_organization_lists_its_sco_resources(tmp_path):
    manifest = scorm2004("", sco_resource("R1", "a.html", dependencies=())
                         + sco_resource("R2", "b.html", dependencies=()) + COMMON)
    manifest = manifest.replace('<organization identifier="ORG-1"', "<!-- ").replace(
        "</organization>", " -->")
    package = read(tmp_path, {"imsmanifest.xml": manifest, "a.html": HTML, "b.html": HTML})
    assert [(i.identifier, i.launch_path, i.sco) for i in package.items] == [
        ("R1", "a.html", True), ("R2", "b.html", True)]


# -- sequencing: resolved, and noted where not honoured --------------------------------------

def test_a_sequencing_collection_entry_fills_in_what_the_item_does_not_say(tmp_path):
    collection = """<imsss:sequencingCollection>
        <imsss:sequencing ID="shared">
          <imsss:limitConditions attemptLimit="3"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="shared.primary" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.5</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </imsss:sequencingCollection>"""
    items = f"""
      <item identifier="I1" identifierref="R1"><title>One</title>
        {sequencing(idref="shared")}</item>
      <item identifier="I2" identifierref="R1"><title>Two</title>
        {sequencing(idref="shared", objective="own", satisfied_by_measure=False)}</item>
      <item identifier="I3" identifierref="R1"><title>Three</title>
        {sequencing(idref="nowhere")}</item>"""
    manifest = scorm2004(items, sco_resource("R1", "index.html", dependencies=()),
                         manifest_extra=collection)
    package = read(tmp_path, {"imsmanifest.xml": manifest, "index.html": HTML})
    one, two, three = package.items
    assert one.data == {"satisfied_by_measure": True, "min_normalized_measure": 0.5,
                        "scaled_passing_score": 0.5, "objectives": ["shared.primary"],
                        "attempt_limit": 3}
    # the item's own objectives replace the collection's; its limit conditions are inherited
    assert two.data == {"satisfied_by_measure": False, "objectives": ["own"],
                        "attempt_limit": 3}
    assert three.data == {}
    assert any("IDRef 'nowhere' names no entry" in n for n in package.unsupported)


def test_the_sequencing_features_pathway_does_not_honour_are_listed(tmp_path):
    rules = """
      <imsss:sequencingRules>
        <imsss:preConditionRule>
          <imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions>
          <imsss:ruleAction action="skip"/>
        </imsss:preConditionRule>
      </imsss:sequencingRules>
      <imsss:rollupRules objectiveMeasureWeight="0.5"/>"""
    objectives = """<imsss:objectives>
        <imsss:primaryObjective objectiveID="p">
          <imsss:mapInfo targetObjectiveID="global.p" writeSatisfiedStatus="true"/>
        </imsss:primaryObjective></imsss:objectives>"""
    items = f"""<item identifier="I1" identifierref="R1"><title>One</title>
        <imsss:sequencing>{rules}{objectives}</imsss:sequencing>
        <adlnav:presentation><adlnav:navigationInterface>
          <adlnav:hideLMSUI>continue</adlnav:hideLMSUI>
        </adlnav:navigationInterface></adlnav:presentation>
      </item>"""
    manifest = scorm2004(items, sco_resource("R1", "index.html", dependencies=()))
    package = read(tmp_path, {"imsmanifest.xml": manifest, "index.html": HTML})
    notes = package.manifest()["unsupported"]
    assert SEQUENCING_RULES in notes and ROLLUP_RULES in notes
    assert GLOBAL_OBJECTIVES in notes
    assert any("adlnav:presentation" in n for n in notes)
    assert package.items[0].data == {"objectives": ["p"]}
    assert SEQUENCING_RULES == ("sequencing rules (imsss:sequencingRules: pre-condition, exit "
                                "and post-condition rules) are not enforced; the learner may "
                                "open any item from the table of contents")


# -- identifiers and the manifest JSON ---------------------------------------------------------

@pytest.mark.parametrize(("identifier", "quoted"), [
    ("SCO_1", "SCO_1"), ("lesson one/part 2", "lesson%20one%2Fpart%202"),
    ("é#?&", "%C3%A9%23%3F%26"),
])
def test_sco_iris_quote_the_item_identifier(identifier, quoted):
    assert sco_iri(ACTIVITY_IRI, identifier) == f"{ACTIVITY_IRI}/scos/{quoted}"


def test_the_manifest_json_is_json_and_holds_the_activity_ids(tmp_path):
    package = read(tmp_path, two_scos_2004_entries())
    kept = json.loads(json.dumps(package.manifest()))
    assert kept["format"] == "scorm"
    assert (kept["edition"], kept["version"], kept["schemaversion"]) == (
        "2004 3rd Edition", "2004", "2004 3rd Edition")
    assert kept["activity_ids"] == package.activity_ids
    assert kept["organization"]["identifier"] == "ORG-1"
    assert [i["identifier"] for i in kept["items"]] == ["ITEM-intro", "ITEM-quiz"]
    assert kept["unsupported"] == [CONTROL_MODE]



@pytest.mark.parametrize(("launch_path", "url"), [
    ("index.html?page=2#intro", "index.html?page=2#intro"),
    ("index.html#intro", "index.html#intro"),
    ("My Course/start page.html?a=1", "My%20Course/start%20page.html?a=1"),
])
def test_the_launch_url_keeps_the_query_and_the_fragment(app, launch_path, url):
    from lms.content.models import ContentPackage

    package = ContentPackage(folder="0" * 32, launch_path=launch_path)
    with app.test_request_context():
        assert operations.launch_url(package) == f"/content/packages/{'0' * 32}/{url}"


def test_an_unknown_time_limit_action_is_noted_and_left_out(tmp_path):
    extra = "<adlcp:timelimitaction>stop,beep</adlcp:timelimitaction>"
    package = read(tmp_path, storyline_12_entries(item_extra=extra))
    assert package.items[0].data == {"mastery_score": 80}
    assert package.unsupported == (
        "adlcp:timelimitaction 'stop,beep' is not one of exit,message, exit,no message, "
        "continue,message, continue,no message and is ignored",)


def test_a_12_manifest_in_the_ims_cp_11_namespace_without_schemaversion_is_12(tmp_path):
    """Some SCORM 1.2 tools write the IMS CP 1.1 root namespace; the ADL 1.2 namespace on
    scormtype still says 1.2."""
    manifest = storyline_12(schemaversion="").replace(
        'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"',
        'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"')
    package = read(tmp_path, {**storyline_12_entries(), "imsmanifest.xml": manifest})
    assert (package.kind, package.items[0].sco) == ("scorm12", True)
