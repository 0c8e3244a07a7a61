"""report_files: streamed base64 inside JSON, atomic files, sidecar and unpacking (one function at a time)."""

import base64
import io
import json
import os
import zipfile

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput, MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.report_files import (
    PLACEHOLDER,
    AtomicFile,
    Base64Sink,
    JsonStringDiverter,
    parse_mode,
    read_sidecar,
    same_report,
    unpack,
    write_sidecar,
)


def divert(document, chunk, threshold=64):
    out = io.BytesIO()
    diverter = JsonStringDiverter(lambda: Base64Sink(out, "test"), threshold=threshold)
    for start in range(0, len(document), chunk):
        diverter.feed(document[start:start + chunk])
    return json.loads(diverter.skeleton()), out.getvalue(), diverter


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 4096])
def test_the_large_string_is_decoded_out_of_the_stream_whatever_the_chunks(chunk):
    payload = bytes(range(256)) * 20
    encoded = base64.b64encode(payload).decode().replace("/", "\\/")  # JSON may escape the slash
    document = ('{"result": {"name": "r\\"1", "data": "%s", "checksum": "x"}}' % encoded).encode()
    skeleton, data, diverter = divert(document, chunk)
    assert data == payload and diverter.diverted
    assert skeleton == {"result": {"name": 'r"1', "data": PLACEHOLDER, "checksum": "x"}}


def test_unicode_and_newline_escapes_in_base64_are_decoded():
    encoded = base64.b64encode(b"A" * 300).decode()
    text = encoded[:100] + "\\n" + encoded[100:200].replace("A", "\\u0041", 3) + "\\r\\n" + encoded[200:]
    _skeleton, data, _diverter = divert(('{"data": "%s"}' % text).encode(), 3)
    assert data == b"A" * 300


def test_small_strings_stay_in_the_skeleton():
    skeleton, data, diverter = divert(b'{"data": "QUJD", "n": [1, "x"]}', 4, threshold=64)
    assert skeleton == {"data": "QUJD", "n": [1, "x"]} and data == b"" and not diverter.diverted


def test_two_large_strings_and_bad_base64_are_refused():
    big = "QUJD" * 40
    with pytest.raises(MalformedResponse, match="more than one large value"):
        divert(('{"a": "%s", "b": "%s"}' % (big, big)).encode(), 16)
    with pytest.raises(MalformedResponse, match="not valid base64"):
        divert(('{"a": "%s"}' % ("QU!D" * 40)).encode(), 16)
    with pytest.raises(MalformedResponse, match="ends inside a string"):
        divert(('{"a": "%s' % big).encode(), 16)


def test_an_atomic_file_leaves_nothing_when_not_committed(tmp_path):
    dest = str(tmp_path / "r.pdf")
    with AtomicFile(dest) as out:
        out.write(b"half")
    assert os.listdir(str(tmp_path)) == []
    with AtomicFile(dest, 0o640) as out:
        out.write(b"whole")
        out.commit()
    assert open(dest, "rb").read() == b"whole" and oct(os.stat(dest).st_mode & 0o777) == "0o640"
    assert os.listdir(str(tmp_path)) == ["r.pdf"]


def test_the_sidecar_is_trusted_only_while_dest_is_unchanged(tmp_path):
    dest = str(tmp_path / "r.pdf")
    with AtomicFile(dest) as out:
        out.write(b"report")
        out.commit()
    write_sidecar(dest, {"layout_id": 1, "sha256": out.sha256})
    assert same_report(read_sidecar(dest), {"layout_id": 1})
    assert not same_report(read_sidecar(dest), {"layout_id": 2})
    with open(dest, "ab") as handle:
        handle.write(b"!")
    assert read_sidecar(dest) is None


def test_unpack_flattens_names_and_refuses_duplicates(tmp_path):
    archive = str(tmp_path / "r.zip")
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("../../etc/x.csv", "a,b\n")
        package.writestr("dir/report.pdf", "%PDF")
    files = unpack(archive, str(tmp_path / "out"))
    assert sorted(os.path.basename(item["path"]) for item in files) == ["report.pdf", "x.csv"]
    assert all(os.path.dirname(item["path"]) == str(tmp_path / "out") for item in files)
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("a/r.csv", "1")
        package.writestr("b/r.csv", "2")
    with pytest.raises(MalformedResponse):
        unpack(archive, str(tmp_path / "out2"))


def test_mode_is_an_octal_string():
    assert parse_mode(None) == 0o600 and parse_mode("0640") == 0o640 and parse_mode("644") == 0o644
    with pytest.raises(InvalidInput, match="mode"):
        parse_mode("rw-r--r--")
