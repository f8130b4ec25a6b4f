"""Actors (xAPI Data 2.4.2): Agents, Groups and their inverse functional identifiers, the
``agent`` parameter of the document resources, and the canonical IFI key under which the
LRS stores and looks up an Agent or identified Group.
"""

from __future__ import annotations

import re

from xapi.validation._common import (
    StatementError,
    _join,
    _need_str,
    _type_error,
    _unknown_key,
    _wrong_value,
)
from xapi.validation.formats import _check_iri, _check_iri_cached

# --------------------------------------------------------------------------------------------
# Actors: Agents, Groups, inverse functional identifiers (Data 2.4.2)
# --------------------------------------------------------------------------------------------

_AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS = frozenset({"homePage", "name"})
_IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
_MBOX_RE = re.compile(
    r"mailto:[^\x00-\x20\x7f@<>()\[\],;:\\\"?#]+@"
    r"(?:[^\x00-\x20\x7f@<>()\[\],;:\\\"?#/.]+(?:\.[^\x00-\x20\x7f@<>()\[\],;:\\\"?#/.]+)*"
    r"|\[[^\x00-\x20\[\]\\]+\])\Z"
)
_SHA1_RE = re.compile(r"[0-9a-fA-F]{40}\Z")


def _check_ifis(value: dict, path: str, what: str) -> int:
    """Count the inverse functional identifiers (more than one is an error) and validate the one
    present; return the count (0 or 1)."""
    count = (
        ("mbox" in value) + ("mbox_sha1sum" in value) + ("openid" in value) + ("account" in value)
    )
    if count > 1:
        found = ", ".join(key for key in _IFI_KEYS if key in value)
        raise StatementError(
            path,
            f"{what} must have exactly one inverse functional identifier, found {count} ({found})",
        )
    if "mbox" in value:
        mbox = value["mbox"]
        if not isinstance(mbox, str):
            raise _type_error(_join(path, "mbox"), mbox, "a mailto: IRI string")
        if _MBOX_RE.match(mbox) is None:
            raise StatementError(
                _join(path, "mbox"), "must be a mailto: IRI with a valid e-mail address"
            )
    elif "mbox_sha1sum" in value:
        sha1 = value["mbox_sha1sum"]
        if not isinstance(sha1, str):
            raise _type_error(_join(path, "mbox_sha1sum"), sha1, "a string")
        if _SHA1_RE.match(sha1) is None:
            raise StatementError(
                _join(path, "mbox_sha1sum"), "must be a SHA-1 hash in hex (40 hex digits)"
            )
    elif "openid" in value:
        openid = value["openid"]
        _check_iri(openid, _join(path, "openid"), "an absolute URI")
        if not openid.isascii():
            raise StatementError(_join(path, "openid"), "must be a URI (ASCII characters only)")
    elif "account" in value:
        _check_account(value["account"], _join(path, "account"))
    return count


def _check_account(account, path: str) -> None:
    if not isinstance(account, dict):
        raise _type_error(path, account, "an account object")
    if not _ACCOUNT_KEYS.issuperset(account):
        raise _unknown_key(path, account, _ACCOUNT_KEYS, "an account")
    if "homePage" not in account:
        raise StatementError(_join(path, "homePage"), "is required in an account")
    if "name" not in account:
        raise StatementError(_join(path, "name"), "is required in an account")
    _check_iri_cached(account["homePage"], _join(path, "homePage"), "an IRL")
    _need_str(account["name"], _join(path, "name"))
    if "\x00" in account["name"]:  # it is part of the agent's key, which PostgreSQL must hold
        raise StatementError(_join(path, "name"), "must not contain a NUL character")


def validate_agent(value, path: str = "actor") -> None:
    """An Agent: optional objectType "Agent", optional name, exactly one IFI."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "an Agent object")
    if "objectType" in value and value["objectType"] != "Agent":
        raise _wrong_value(
            _join(path, "objectType"), value["objectType"], "must be 'Agent' for an Agent"
        )
    if not _AGENT_KEYS.issuperset(value):
        if "member" in value and "objectType" not in value:
            raise StatementError(
                _join(path, "objectType"), "is required (must be 'Group' for a Group)"
            )
        raise _unknown_key(path, value, _AGENT_KEYS, "an Agent")
    if "name" in value and not isinstance(value["name"], str):
        raise _type_error(_join(path, "name"), value["name"], "a string")
    if _check_ifis(value, path, "an Agent") == 0:
        raise StatementError(
            path,
            "an Agent must have exactly one inverse functional identifier "
            "(mbox, mbox_sha1sum, openid or account), found none",
        )


def validate_group(value, path: str = "actor") -> None:
    """A Group: objectType "Group"; anonymous (member required, no IFI) or identified
    (exactly one IFI, member optional); members are Agents, never Groups."""
    if not isinstance(value, dict):
        raise _type_error(path, value, "a Group object")
    if value.get("objectType") != "Group":
        if "objectType" not in value:
            raise StatementError(_join(path, "objectType"), "is required (must be 'Group')")
        raise _wrong_value(
            _join(path, "objectType"), value["objectType"], "must be 'Group' for a Group"
        )
    if not _GROUP_KEYS.issuperset(value):
        raise _unknown_key(path, value, _GROUP_KEYS, "a Group")
    if "name" in value and not isinstance(value["name"], str):
        raise _type_error(_join(path, "name"), value["name"], "a string")
    identified = _check_ifis(value, path, "a Group")
    if "member" in value:
        members = value["member"]
        member_path = _join(path, "member")
        if not isinstance(members, list):
            raise _type_error(member_path, members, "an array of Agents")
        for index, member in enumerate(members):
            item_path = f"{member_path}[{index}]"
            if isinstance(member, dict) and member.get("objectType") == "Group":
                raise StatementError(item_path, "a Group's members must be Agents, not Groups")
            validate_agent(member, item_path)
        if not identified and not members:
            raise StatementError(member_path, "an anonymous Group must list at least one member")
    elif not identified:
        raise StatementError(
            _join(path, "member"),
            "is required in an anonymous Group (a Group without an inverse functional identifier)",
        )


def _validate_actor(value, path: str) -> None:
    """An Agent or a Group (chosen by objectType)."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        validate_group(value, path)
    else:
        validate_agent(value, path)


def validate_agent_parameter(value, path: str = "agent") -> None:
    """The ``agent`` parameter of the State, Agent Profile and Agents resources: an Agent, or an
    identified Group (its identifier standing for it); never an anonymous Group."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        if not any(key in value for key in _IFI_KEYS):
            raise StatementError(
                path, "must be an Agent or an identified Group (an anonymous Group is not allowed)"
            )
        validate_group(value, path)
    else:
        validate_agent(value, path)


def inverse_functional_identifier(agent) -> str | None:
    """The canonical key of an Agent's or identified Group's inverse functional identifier.

    ``mbox:mailto:name@domain`` (domain lower-cased, as it is case-insensitive),
    ``mbox_sha1sum:<hex lowercase>``, ``openid:<iri>``, ``account:<homePage>|<name>``;
    None when there is none. Does not validate (call validate_agent first); with several
    identifiers the first of mbox, mbox_sha1sum, openid, account wins.
    """
    if not isinstance(agent, dict):
        return None
    mbox = agent.get("mbox")
    if isinstance(mbox, str):
        local, at, domain = mbox.rpartition("@")
        return f"mbox:{local}@{domain.lower()}" if at else f"mbox:{mbox}"
    sha1 = agent.get("mbox_sha1sum")
    if isinstance(sha1, str):
        return f"mbox_sha1sum:{sha1.lower()}"
    openid = agent.get("openid")
    if isinstance(openid, str):
        return f"openid:{openid}"
    account = agent.get("account")
    if isinstance(account, dict):
        home, name = account.get("homePage"), account.get("name")
        if isinstance(home, str) and isinstance(name, str):
            return f"account:{home}|{name}"
    return None
