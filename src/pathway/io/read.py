"""Read YAML or JSON text into a ``Document``: plain Python data and where every value came from.

Oversized files, binary data, invalid UTF-8 and several documents are refused with a located
``InputError``; plain JSON goes to the fast reader (``json_fast``), everything else to the
hardened YAML reader (``yaml_safe``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import InputError
from . import json_fast, yaml_safe
from .document import DEFAULT_LIMITS, Document, Limits


def _line_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    head = raw[:offset].decode("utf-8", "replace")
    return yaml_safe.position(head, len(head))


def _too_large(size: int | None, file: str, limits: Limits) -> InputError:
    """``size`` None: a device or pipe that gave more than the limit when read."""
    shown_size = f" {size:,} bytes," if size is not None else ""
    return InputError(
        f"file is{shown_size} larger than the limit of {limits.max_bytes:,} bytes "
        "(raise it with --max-bytes)",
        file=file,
    )


def decode_text(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Bytes to text, refusing binary data and oversized input with a located message."""
    if len(raw) > limits.max_bytes:
        raise _too_large(len(raw), file, limits)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _line_of_offset(raw, nul)
        raise InputError(
            "file contains a NUL byte: this is not a YAML or JSON text file "
            "(UTF-16 or binary data?)",
            file=file,
            line=line,
            column=column,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_of_offset(raw, exc.start)
        raise InputError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8 text",
            file=file,
            line=line,
            column=column,
        ) from None
    if not text.strip():
        raise InputError("file is empty: expected a YAML or JSON mapping", file=file, line=1)
    return text


def parse_text(text: str, file: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse one YAML (or JSON) document held in ``text``."""
    doc = Document(file=file, data=None, sha256=hashlib.sha256(raw).hexdigest())
    if text.lstrip()[:1] in ("{", "["):  # JSON: the fast reader, unless it is not plain JSON
        try:
            doc.data, doc.value_locations, doc.key_locations = json_fast.read(
                text,
                max_depth=limits.max_depth,
                max_values=limits.max_nodes,
                max_string=limits.max_string,
            )
            return doc
        except json_fast.NotPlainJSON:
            pass  # the YAML reader reads it, and says exactly what is wrong
    yaml_safe.load(doc, text, limits)
    return doc


def parse_bytes(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    return parse_text(decode_text(raw, file, limits), file, raw, limits)


def read_document(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, *, display: str | None = None
) -> Document:
    """Read and parse a file; ``display`` is the name used in messages (default: the path).

    The size is checked before anything is read, and no more than the limit is ever read (a
    device or a pipe has no size to check)."""
    name = display or str(path)
    p = Path(path)
    try:
        with p.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.max_bytes:
                raise _too_large(size, name, limits)
            raw = handle.read(limits.max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", file=name) from None
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    except ValueError:  # a NUL character in the name
        raise InputError(
            "cannot read file: its name holds a NUL character", file=repr(name)
        ) from None
    if len(raw) > limits.max_bytes:
        raise _too_large(None, name, limits)
    return parse_bytes(raw, name, limits)
