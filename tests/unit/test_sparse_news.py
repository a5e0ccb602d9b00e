"""Sparse news: articles minutes to hours apart, no volume. Two outlets reporting the same typed incident
raise it; routine news raises nothing."""

from __future__ import annotations

from detectors.core import DetectionCore
from schemas.post import Post

ROUTINE = [
    "Rupiah closes slightly stronger against the dollar as exporters sell",
    "Persib Bandung beat Persija 2-1 in a tense Liga 1 derby",
    "Harga beras di pasar induk stabil menjelang akhir pekan",
    "City council approves new bus lanes for the capital's busiest corridors",
    "Festival kuliner nusantara digelar di Senayan akhir pekan ini",
    "Heavy rain expected in West Java this weekend, says weather agency",
    "Startup fintech raih pendanaan seri B untuk ekspansi ke Vietnam",
    "National team names squad for the regional championship qualifiers",
]


def _news(i: int, ts: float, text: str, source: str, lang: str) -> Post:
    return Post(
        id=f"n{i:04d}", ts=ts, text=text, lang=lang, source_kind="news", source=source, url=f"https://{source}/{i}"
    )


def _stream() -> list[Post]:
    posts = []
    t = 1_795_000_000.0
    for i in range(72):  # a day of routine news, one article every 20 minutes
        posts.append(_news(i, t + i * 1200, ROUTINE[i % len(ROUTINE)] + f" ({i})", "antaranews.com", "en"))
    posts.append(
        _news(
            500,
            t + 30_000,
            "Hundreds of protesters rally outside the Myanmar embassy in Jakarta over the treatment of the Rohingya",
            "thejakartapost.com",
            "en",
        )
    )
    posts.append(
        _news(
            501,
            t + 40_800,
            "Ratusan massa unjuk rasa di depan Kedubes Myanmar di Jakarta, menuntut perlindungan bagi Rohingya",
            "kompas.com",
            "id",
        )
    )
    # One typed report that no other outlet confirms: it stays a candidate, no alert.
    posts.append(
        _news(
            502,
            t + 50_000,
            "Protesters gather outside the Chilean embassy over a fishing dispute",
            "thejakartapost.com",
            "en",
        )
    )
    return sorted(posts, key=lambda p: p.ts)


def test_two_outlets_raise_a_sparse_news_incident_and_routine_news_raises_nothing() -> None:
    core = DetectionCore()
    alerts = core.process_posts(_stream()) + core.flush()
    raised = [a for a in alerts if a.kind == "raised"]
    assert len(raised) == 1, [a.title for a in raised]
    alert = raised[0]
    assert set(alert.post_ids) == {"n0500", "n0501"}
    assert alert.type_code.startswith("14") and "MM" in alert.countries
    assert alert.n_news == 2 and alert.n_sources == 2
    assert alert.at == next(p.ts for p in _stream() if p.id == "n0501"), "raised at the second report"
