"""Tables as CSV text: the sweep's rows, written by the CLI and by the app's Experiments window."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """``rows`` as CSV with a header of ``columns``; keys not in ``columns`` are left out."""
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
