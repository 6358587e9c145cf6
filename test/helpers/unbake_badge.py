"""Extracts the Open Badges 3.0 credential baked into a PNG or SVG, independently of certforge's
own code (Python's standard library only), checking what the baking section of the spec asks:

  PNG  a valid PNG (signature, every chunk's CRC), exactly one iTXt chunk with the keyword
       `openbadgecredential`, uncompressed, whose text is the credential;
  SVG  well-formed XML whose root is <svg> with the namespace https://purl.imsglobal.org/ob/v3p0
       declared, its first child element <openbadges:credential> without a `verify` attribute
       (an embedded proof), exactly one such element, its text the credential (CDATA).

usage: unbake_badge.py FILE.png|FILE.svg  → prints {"credential": <the JSON>, ...facts} as JSON
"""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = "https://purl.imsglobal.org/ob/v3p0"


def png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, found, types = 8, [], []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        types.append(kind.decode("latin1"))
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            if keyword == b"openbadgecredential":
                compressed, method = rest[0], rest[1]
                language, rest = rest[2:].split(b"\0", 1)
                translated, text = rest.split(b"\0", 1)
                assert compressed == 0, "compressed iTXt"
                found.append(text.decode("utf-8"))
        at += 12 + length
        if kind == b"IEND":
            break
    assert len(found) == 1, f"{len(found)} openbadgecredential chunks"
    return {"credential": json.loads(found[0]), "chunks": types}


def svg(path):
    tree = ET.parse(path)
    root = tree.getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    elements = root.findall(f".//{{{NS}}}credential")
    assert len(elements) == 1, f"{len(elements)} openbadges:credential elements"
    first = list(root)[0]
    assert first.tag == f"{{{NS}}}credential", "openbadges:credential is not the first element"
    assert "verify" not in first.attrib, "a verify attribute (VC-JWT) on an embedded proof"
    return {"credential": json.loads(first.text), "firstChild": first.tag}


path = sys.argv[1]
print(json.dumps(png(path) if path.endswith(".png") else svg(path)))
