"""Writer for the crash test: writes to the database until it is killed.

    python -m tests.storage_crash_writer DB_PATH FIRST_INDEX

After each write's commit has returned it prints one line (`article CHAT ID INDEX`, `digest CHAT DAY`,
`feed CHAT URL`), so every line the parent reads names a row that must survive the kill.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date, timedelta

from storage import ArticleSource, open_database
from tests.storage_support import at, make_brief


def crash_brief(index: int):
    return make_brief(
        [
            f"Report {index} says {index % 97} shells hit the depot at dawn.",
            f'"Depot {index} is gone," said Commander {index % 13}.',
            "Firefighters worked through the night.",
        ],
        title=f"Depot report {index}",
        figures=[(0, f"{index % 97}", "equipment", f"Report {index}")],
        quotes=[(1, f"Commander {index % 13}", f"Depot {index} is gone,")],
    )


async def main(path: str, first: int) -> None:
    async with open_database(path) as db:
        print("ready", flush=True)
        index = first
        while True:
            chat = index % 3 + 1
            if index % 10 == 7:
                day = date(2024, 1, 1) + timedelta(days=index)
                await db.digests.record(chat, day, sent_at=at(index), message_ids=[index])
                print(f"digest {chat} {day.isoformat()}", flush=True)
            elif index % 10 == 9:
                url = f"https://feed{index % 15}.example.org/rss"
                await db.feeds.subscribe(chat, url)
                print(f"feed {chat} {url}", flush=True)
            else:
                result = await db.articles.add(chat, ArticleSource("text", at(index)), crash_brief(index))
                print(f"article {chat} {result.article_id} {index}", flush=True)
            index += 1


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
