"""Reading JSON Lines from a binary stream, one bounded line at a time (the batch's input, the overview's reports)."""

from collections.abc import Iterator
from typing import IO

__all__ = ["LineTooLong", "read_lines"]

#: How much of the stream is read at a time.
_CHUNK = 1 << 16


class LineTooLong:
    """A line longer than the bound, in place of its text (only its size is kept); refused by its number."""

    def __init__(self, size: int) -> None:
        self.size = size


def read_lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | LineTooLong]:
    """The lines of a binary stream, split on ``\\n`` only (JSON Lines; a ``\\r`` before it is dropped).

    A line longer than ``max_bytes`` is not kept: its place is taken by a
    marker with its size, and reading goes on at the next line.
    """
    pending = bytearray()
    dropped = 0  # bytes of an over-long line read so far, once it is over the bound
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if dropped:
                dropped += len(piece)
            else:
                pending += piece
                if len(pending) > max_bytes:
                    dropped = len(pending)
                    pending = bytearray()
            if end < 0:
                break
            if dropped:
                yield LineTooLong(dropped)
                dropped = 0
            else:
                yield bytes(pending[:-1] if pending.endswith(b"\r") else pending)
                pending = bytearray()
            start = end + 1
    if dropped:
        yield LineTooLong(dropped)
    elif pending:
        yield bytes(pending[:-1] if pending.endswith(b"\r") else pending)
