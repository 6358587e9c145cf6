"""The benchmark's in-process librsvg baseline (issue 24, goal 5): every filled SVG of a
directory to a PDF, in one Python process, through librsvg's GObject binding and cairo's PDF
surface (what rsvg-convert does per file, without its process start). Run by
test/bench/batch.ts with Debian's /usr/bin/python3 (python3-gi, python3-gi-cairo,
gir1.2-rsvg-2.0) and FONTCONFIG_FILE seeing the bundled fonts only.

    /usr/bin/python3 librsvg-batch.py <dir of .svg> <out dir>

Prints one JSON line: the import time, each file's time (read, parse, render, write the PDF),
the loop's total, and the PDFs' bytes.
"""

import json
import os
import sys
import time

start = time.perf_counter()
import gi  # noqa: E402

gi.require_version("Rsvg", "2.0")
import cairo  # noqa: E402
from gi.repository import Rsvg  # noqa: E402

imported = time.perf_counter()
src, out = sys.argv[1], sys.argv[2]
names = sorted(name for name in os.listdir(src) if name.endswith(".svg"))
per_file = []
sizes = []
loop = time.perf_counter()
for name in names:
    t = time.perf_counter()
    handle = Rsvg.Handle.new_from_file(os.path.join(src, name))
    ok, width, height = handle.get_intrinsic_size_in_pixels()
    if not ok:
        raise SystemExit(f"{name}: no intrinsic size")
    target = os.path.join(out, name[:-4] + ".pdf")
    # Points at 96 px per inch, as rsvg-convert sizes its PDF pages.
    surface = cairo.PDFSurface(target, width * 0.75, height * 0.75)
    context = cairo.Context(surface)
    context.scale(0.75, 0.75)
    viewport = Rsvg.Rectangle()
    viewport.x, viewport.y, viewport.width, viewport.height = 0, 0, width, height
    handle.render_document(context, viewport)
    surface.finish()
    per_file.append((time.perf_counter() - t) * 1000)
    sizes.append(os.path.getsize(target))
print(
    json.dumps(
        {
            "librsvg": f"{Rsvg.MAJOR_VERSION}.{Rsvg.MINOR_VERSION}.{Rsvg.MICRO_VERSION}",
            "importMs": (imported - start) * 1000,
            "perFileMs": per_file,
            "loopMs": (time.perf_counter() - loop) * 1000,
            "bytes": sizes,
        }
    )
)
