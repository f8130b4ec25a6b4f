"""The `lms` command: init (and --demo), users and tokens."""

import calendar
import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import MetaData, Table, inspect, select

from lms.catalogue.models import Qualification
from lms.demo import ADMIN, COHORT, DEMO_LOGINS, DEMO_PASSWORD, INDIVIDUAL, MANAGER, TUTOR
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation
from lms.people.models import ApiToken, User
from lms.people.operations import authenticate, user_by_email

DIPLOMA = "l5-diploma-reducing-restrictive-practices"
GOOD_PASSWORD = "a long enough password"


def dump(db) -> dict:
    """Every committed row of every table, as plain tuples."""
    with db.engine.connect() as connection:
        found = {}
        for name in sorted(inspect(connection).get_table_names()):
            table = Table(name, MetaData(), autoload_with=connection)
            found[name] = sorted(connection.execute(select(table)).all(), key=repr)
        return found


def months_later(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def invoke(runner, *args, ok=True, **kwargs):
    result = runner.invoke(args=list(args), **kwargs)
    if ok:
        assert result.exit_code == 0, result.output
    return result


# --- lms init ------------------------------------------------------------------------------


def test_init_loads_the_diploma_and_running_it_again_changes_nothing(runner, db):
    first = invoke(runner, "init")
    after_first = dump(db)
    second = invoke(runner, "init")

    assert first.output.splitlines()[0] == "schema: up to date"
    assert first.output.splitlines()[1].startswith(f"catalogue {DIPLOMA}: ")
    assert "created" in first.output
    assert second.output == f"schema: up to date\ncatalogue {DIPLOMA}: unchanged\n"
    assert dump(db) == after_first
    assert len(after_first["qualifications"]) == 1
    assert len(after_first["units"]) == 5
    assert after_first["users"] == []


def test_init_demo_creates_the_demo_people(runner, db):
    result = invoke(runner, "init", "--demo")

    assert "demo: created 11 accounts" in result.output
    users = db.session.scalars(db.select(User)).all()
    assert len(users) == len(DEMO_LOGINS) == 11
    assert user_by_email("verifier@pathway.example").role_names == {"verifier"}
    assert {u.email: u.role_names for u in users} == {e: set(r) for e, _, r in DEMO_LOGINS}
    assert user_by_email(ADMIN[0]).role_names == {"admin"}
    assert user_by_email(TUTOR[0]).role_names == {"tutor"}
    manager = user_by_email(MANAGER[0])
    assert manager.role_names == {"org_manager"}
    assert manager.name == MANAGER[1]

    [organisation] = db.session.scalars(db.select(Organisation)).all()
    assert manager.organisation_id == organisation.id
    cohort_people = [user_by_email(email) for email, _ in COHORT]
    assert [p.name for p in cohort_people] == [name for _, name in COHORT]
    assert {p.organisation_id for p in cohort_people} == {organisation.id}
    assert all(p.role_names == {"learner"} for p in cohort_people)

    [cohort] = db.session.scalars(db.select(Cohort)).all()
    assert cohort.organisation_id == organisation.id
    enrolments = db.session.scalars(db.select(Enrolment)).all()
    in_cohort = [e for e in enrolments if e.cohort_id == cohort.id]
    assert len(in_cohort) == 6
    assert {e.learner.email for e in in_cohort} == {email for email, _ in COHORT}
    [alone] = [e for e in enrolments if e.cohort_id is None]
    assert alone.learner.email == INDIVIDUAL[0]

    tutor = user_by_email(TUTOR[0])
    qualification = db.session.scalars(db.select(Qualification)).one()
    assert qualification.months_to_complete == 18
    for enrolment in enrolments:
        assert enrolment.tutor_id == tutor.id
        assert enrolment.status == "active"
        assert enrolment.start_date == enrolment.intake.start_date
        assert enrolment.window_ends == months_later(enrolment.start_date, 18)
    assert {e.intake_id for e in enrolments} == {cohort.intake_id}
    intakes = db.session.scalars(db.select(Intake).order_by(Intake.start_date)).all()
    assert [i.start_date for i in intakes][:1] == [date(2024, 5, 7)]  # the 2024 example
    assert [i.id for i in intakes][1:2] == [cohort.intake_id]
    assert len(intakes) == 3  # and the next intake, open for applications (tests/enrolment)
    current = intakes[1]
    assert current.start_date.weekday() == 1 and current.start_date.day <= 7  # first Tuesday


def test_init_demo_again_changes_nothing(runner, db):
    invoke(runner, "init", "--demo")
    before = dump(db)

    again = invoke(runner, "init", "--demo")
    demo_again = invoke(runner, "demo")

    assert again.output.splitlines()[-1] == "demo: already present"
    assert demo_again.output == "demo: already present\n"
    assert dump(db) == before


def test_the_demo_password_signs_every_demo_account_in(runner, db):
    invoke(runner, "init", "--demo")

    for email, name, _ in DEMO_LOGINS:
        user = authenticate(email, DEMO_PASSWORD)
        assert user is not None and user.name == name
    assert authenticate(ADMIN[0], "not the demo password") is None


# --- lms users ------------------------------------------------------------------------------


def test_users_create_makes_an_account_that_can_sign_in(runner, db):
    result = invoke(runner, "users", "create", "--email", " Kim.Lee@Example.org ",
                    "--name", "Kim Lee", "--role", "tutor", "--role", "admin",
                    "--password", GOOD_PASSWORD)

    user = user_by_email("kim.lee@example.org")
    assert result.output == f"created kim.lee@example.org (admin, tutor) id {user.public_id}\n"
    assert user.name == "Kim Lee"
    assert user.role_names == {"admin", "tutor"}
    assert authenticate("kim.lee@example.org", GOOD_PASSWORD) == user
    assert GOOD_PASSWORD not in user.password_hash


def test_users_create_prompts_for_the_password(runner, db):
    invoke(runner, "users", "create", "--email", "kim@example.org", "--name", "Kim",
           "--role", "learner", input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")

    assert authenticate("kim@example.org", GOOD_PASSWORD) is not None


def test_users_create_refuses_a_short_password_and_stores_nothing(runner, db):
    result = invoke(runner, "users", "create", "--email", "kim@example.org", "--name", "Kim",
                    "--role", "learner", "--password", "short", ok=False)

    assert result.exit_code == 1
    assert "password: must be at least 10 characters long" in result.output
    assert dump(db)["users"] == []
    assert dump(db)["user_roles"] == []


@pytest.mark.parametrize("email", ["kim@example.org", "KIM@example.org"])
def test_users_create_refuses_an_email_already_taken(runner, db, make_user, email):
    existing = make_user("learner", email="kim@example.org", name="Kim First")

    result = invoke(runner, "users", "create", "--email", email, "--name", "Kim Second",
                    "--role", "admin", "--password", GOOD_PASSWORD, ok=False)

    assert result.exit_code == 1
    assert "A user with e-mail kim@example.org already exists." in result.output
    [user] = db.session.scalars(db.select(User)).all()
    assert (user.id, user.name, user.role_names) == (existing.id, "Kim First", {"learner"})


def test_users_create_refuses_an_unknown_role(runner, db):
    result = invoke(runner, "users", "create", "--email", "kim@example.org", "--name", "Kim",
                    "--role", "superuser", "--password", GOOD_PASSWORD, ok=False)

    assert result.exit_code == 2
    assert "superuser" in result.output
    assert dump(db)["users"] == []


def test_users_set_password_replaces_the_password(runner, db, make_user):
    make_user("learner", email="kim@example.org")

    result = invoke(runner, "users", "set-password", "KIM@example.org",
                    "--password", "a brand new password")

    assert result.output == "password set for kim@example.org\n"
    assert authenticate("kim@example.org", "a brand new password") is not None
    assert authenticate("kim@example.org", "correct horse battery") is None


def test_users_set_password_refuses_a_short_password(runner, db, make_user):
    make_user("learner", email="kim@example.org")

    result = invoke(runner, "users", "set-password", "kim@example.org", "--password", "short",
                    ok=False)

    assert result.exit_code == 1
    assert "password: must be at least 10 characters long" in result.output
    assert authenticate("kim@example.org", "correct horse battery") is not None


def test_users_set_password_of_an_unknown_account(runner, db):
    result = invoke(runner, "users", "set-password", "nobody@example.org",
                    "--password", GOOD_PASSWORD, ok=False)

    assert result.exit_code == 1
    assert "no account with e-mail nobody@example.org" in result.output


def test_users_list_shows_everyone_by_email(runner, db, make_user):
    make_user("tutor", "admin", email="zoe@example.org", name="Zoe Tutor")
    make_user("learner", email="amy@example.org", name="Amy Learner")
    gone = make_user("learner", email="max@example.org", name="Max Gone")
    gone.active = False
    db.session.commit()

    result = invoke(runner, "users", "list")

    assert result.output == ("amy@example.org\tAmy Learner\tlearner\n"
                             "max@example.org\tMax Gone\tlearner (disabled)\n"
                             "zoe@example.org\tZoe Tutor\tadmin,tutor\n")


# --- lms tokens -----------------------------------------------------------------------------


def test_tokens_create_prints_a_token_that_works_and_is_stored_only_hashed(runner, db, client,
                                                                          make_user):
    kim = make_user("tutor", email="kim@example.org", name="Kim Lee")

    result = invoke(runner, "tokens", "create", "kim@example.org", "--json", "--days", "7")

    printed = json.loads(result.stdout)
    secret = printed["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200, me.json
    assert (me.json["email"], me.json["name"]) == ("kim@example.org", "Kim Lee")
    [row] = dump(db)["api_tokens"]
    assert row.id == printed["id"]
    assert row.user_id == kim.id
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in row)
    token = db.session.get(ApiToken, printed["id"])
    assert token.expires_at.isoformat() == printed["expires_at"]
    assert 6 <= (token.expires_at - token.created_at).days <= 7


def test_tokens_create_without_json_prints_the_token_alone(runner, db, client, make_user):
    make_user("learner", email="kim@example.org")

    result = invoke(runner, "tokens", "create", "kim@example.org")

    [secret] = result.stdout.splitlines()
    assert "it will not be shown again" in result.stderr
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json["email"] == "kim@example.org"


def test_tokens_create_for_an_unknown_account(runner, db):
    result = invoke(runner, "tokens", "create", "nobody@example.org", ok=False)

    assert result.exit_code == 1
    assert "no account with e-mail nobody@example.org" in result.output
    assert dump(db)["api_tokens"] == []


def test_a_wrong_token_does_not_authenticate(client, db):
    me = client.get("/api/v1/me", headers={"Authorization": "Bearer pw_not-a-real-token"})

    assert me.status_code == 401


def test_demo_records_each_learners_learning_in_the_lrs_and_their_progress(runner, app,
                                                                            client, auth):
    """The demo's progress is real learning records: statements in the LRS, about each demo
    learner (as an account on the site), under their enrolment's registration; and progress
    is what those records say: a spread of learners, on track and at risk."""
    import json

    from lms.demo import ASSESSED, LEARNING
    from lms.enrolment.models import Enrolment
    from lms.extensions import db
    from lms.people.operations import user_by_email

    result = runner.invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    finished = sum(count for count, _ in LEARNING.values())
    steps = sum(1 + (outcome == "met") for outcomes in ASSESSED.values() for outcome in outcomes)
    assert f"{finished + steps} learning records in the LRS" in result.output
    exported = runner.invoke(args=["xapi", "export"])
    statements = [json.loads(line) for line in exported.output.splitlines()]
    assert len(statements) == finished + steps
    for enrolment in db.session.execute(db.select(Enrolment)).scalars():
        mine = [s for s in statements
                if s["context"]["registration"] == enrolment.registration]
        who = enrolment.learner.email.split("@")[0]
        outcomes = ASSESSED.get(who, [])
        assert len(mine) == LEARNING[who][0] + len(outcomes) + outcomes.count("met")
        assert all(s["actor"]["account"] == {"homePage": app.config["BASE_URL"],
                                             "name": enrolment.learner.public_id} for s in mine)
        assert {s["verb"]["id"].rsplit("/", 1)[-1] for s in mine} <= {
            "completed", "attended", "submit", "passed"}

    summary = client.get("/api/v1/progress",
                         headers=auth(user_by_email("tutor@pathway.example"))).json
    status = {e["learner"]["name"]: e["forecast"]["status"] for e in summary["learners"]}
    assert status["Aisha Khan"] == "on-track" and status["Femi Adeyemi"] == "at-risk"
    aisha = next(e for e in summary["learners"] if e["learner"]["name"] == "Aisha Khan")
    assert aisha["credits"] == 8 and aisha["units_achieved"] == 1
    again = runner.invoke(args=["demo"])
    assert again.output == "demo: already present\n"
    assert len(runner.invoke(args=["xapi", "export"]).output.splitlines()) == len(statements)
