"""The digest's one chart: requests by category, this period beside the one before, as a
PNG small enough to travel inside the mail (matplotlib's Agg backend: no display, no files)."""

from __future__ import annotations

import io


def volume_chart(volume: dict[str, tuple[int, int]], *, title: str = "Requests by category") -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    names = list(volume)
    now = [volume[n][0] for n in names]
    before = [volume[n][1] for n in names]
    fig = Figure(figsize=(6, 2.4), dpi=100)
    ax = fig.subplots()
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], before, width=0.4, label="period before", color="#b8c4ce")
    ax.bar([x + 0.2 for x in xs], now, width=0.4, label="this period", color="#24323f")
    ax.set_xticks(list(xs), names)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
