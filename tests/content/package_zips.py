"""Zips for the content package tests, built in memory entry by entry (good ones, and ones
crafted to break each import rule)."""

import io
import stat
import struct
import warnings
import zipfile

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
ROOT_ID = "http://example.org/packages/recognising-restrictions"
INDEX_HTML = "<!doctype html><title>Package</title><script src='js/app.js'></script>"


def tincan_xml(launch="index.html", activity_id=ROOT_ID, name="Recognising restrictions",
               prolog='<?xml version="1.0" encoding="utf-8"?>') -> str:
    """A tincan.xml with a question activity first and the launched course second."""
    return f"""{prolog}
<tincan xmlns="{TINCAN_NS}">
  <activities>
    <activity id="{activity_id}/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name>Question one</name>
    </activity>
    <activity id="{activity_id}" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-GB">{name}</name>
      <description lang="en-GB">Scenes from daily life in a service.</description>
      <launch lang="en-GB">{launch}</launch>
    </activity>
  </activities>
</tincan>
"""


def good_entries(**manifest) -> dict:
    """The entries of a good package: tincan.xml, the launch page and its assets."""
    return {"tincan.xml": tincan_xml(**manifest), "index.html": INDEX_HTML,
            "js/app.js": "console.log('hello');", "css/site.css": "body{}",
            "media/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}


def make_zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of `entries`: a dict {name: data}, or (name or ZipInfo, data) pairs (which
    may repeat a name)."""
    buffer = io.BytesIO()
    items = entries.items() if isinstance(entries, dict) else entries
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in items:
                archive.writestr(name, data)
    return buffer.getvalue()


def good_zip(**manifest) -> bytes:
    return make_zip(good_entries(**manifest))


def with_extra(name, data=b"x", **manifest) -> bytes:
    """A good package plus one more entry (`name` may be a ZipInfo)."""
    return make_zip([*good_entries(**manifest).items(), (name, data)])


def symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


# Where each field sits in a local file header ("PK\3\4") and a central directory record
# ("PK\1\2"), and its struct format.
FIELDS = {"flag_bits": (6, 8, "<H"), "compress_size": (18, 20, "<I"),
          "file_size": (22, 24, "<I")}


def patch_entry(data: bytes, name: str, field: str, value: int, *, local=True,
                central=True) -> bytes:
    """`data` with `field` of entry `name` set to `value` in its local header and/or its
    central directory record: what a crafted (lying, encrypted-looking) zip looks like."""
    local_offset, central_offset, fmt = FIELDS[field]
    patched = bytearray(data)
    found = False
    for signature, name_at, offset, wanted in ((b"PK\x03\x04", (26, 30), local_offset, local),
                                              (b"PK\x01\x02", (28, 46), central_offset,
                                               central)):
        position = data.find(signature)
        while wanted and position != -1:
            length = struct.unpack_from("<H", data, position + name_at[0])[0]
            start = position + name_at[1]
            if data[start:start + length] == name.encode():
                struct.pack_into(fmt, patched, position + offset, value)
                found = True
            position = data.find(signature, position + 4)
    if not found:
        raise KeyError(name)
    return bytes(patched)
