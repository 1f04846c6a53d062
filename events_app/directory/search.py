"""Accent-insensitive, ranked product search: what a product is found by, and how a query finds it.

A product keeps three folded columns (case, tone marks and đ/Đ folded by `core.text.fold`):
`search_name` (its name), `search_text` (its name, producer, province — current and as written
on the certificate — and group, in Vietnamese) and `search_story` (its description and story).
English group names are left out: "duc" would otherwise find every "products" row.

A query is folded the same way and split into words; a product matches when every word is a
substring of its `search_text` or its `search_story`. That rule is plain LIKE on both engines,
and each engine has an index that answers it exactly:

- SQLite: `product_search`, an FTS5 table over the two columns with the `trigram` tokenizer,
  kept in step with `product` by triggers. A phrase query of a word of three characters or more
  is the same substring test; shorter words, and words with LIKE's wildcards in them, fall back
  to LIKE on the candidate rows.
- PostgreSQL: pg_trgm GIN indexes on the two columns, which serve the LIKE directly.

Ranking is the same SQL on both: each word scores 0 when it is in the name, 1 when it is in the
other facts of the card, 2 when only the story has it; lowest total first, then more stars, then
the folded name in byte order, then the id.
"""

from __future__ import annotations

from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from events_app.core.text import fold, like_fragment, search_terms

FTS_TABLE = "product_search"
TRIGRAM = 3  # the shortest word the trigram index can look up


def product_search_text(*parts: str | None) -> str:
    """Parts folded and joined into one searchable text."""
    return fold(" ".join(part for part in parts if part))


def product_search_columns(
    *,
    name: str,
    producer: str,
    province: str,
    former_province: str = "",
    group: str = "",
    description: str = "",
    story: str = "",
) -> dict[str, str]:
    """The folded search columns of a product, by column name: what it is found by.

    `group` is the group's Vietnamese name."""
    return {
        "search_name": fold(name),
        "search_text": product_search_text(name, producer, province, former_province, group),
        "search_story": product_search_text(description, story),
    }


def query_words(query: str) -> list[str]:
    """The words of a search box as the columns are folded, each of which must match."""
    return search_terms(query)


def _pattern(word: str) -> str:
    return f"%{like_fragment(word)}%"


def _indexed(word: str) -> bool:
    """Whether the trigram index answers this word exactly (SQLite)."""
    return len(word) >= TRIGRAM and like_fragment(word) == word


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def matching(words: list[str], *, postgres: bool) -> list[WhereRaw]:
    """Where-clauses on `product`: every word in the search text or the story."""
    clauses = []
    indexed = [word for word in words if _indexed(word)] if not postgres else []
    if indexed:
        clauses.append(WhereRaw(
            f'"product"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {{}})',
            " ".join(_fts_phrase(word) for word in indexed),
        ))
    for word in words:
        if word in indexed:
            continue
        pattern = _pattern(word)
        clauses.append(WhereRaw('("product"."search_text" LIKE {} OR "product"."search_story" LIKE {})', pattern, pattern))
    return clauses


def ranked(query, words: list[str], *, postgres: bool):
    """`query` on `product` ordered best match first, then more stars, then the folded name in byte
    order (COLLATE "C" makes PostgreSQL sort as SQLite does), then the id."""
    if words:
        scores = " + ".join(
            'CASE WHEN "product"."search_name" LIKE {} THEN 0 WHEN "product"."search_text" LIKE {} THEN 1 ELSE 2 END'
            for _ in words
        )
        query = query.order_by(QueryString(f"({scores})", *(_pattern(word) for word in words for _ in range(2))))
    collate = ' COLLATE "C"' if postgres else ""
    return query.order_by(QueryString('"product"."stars"'), ascending=False).order_by(
        QueryString(f'"product"."search_name"{collate}'), QueryString('"product"."id"')
    )


# The index and the triggers that keep it, per engine (run by the directory's migration).

SQLITE_INDEX = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        search_text, search_story, content='product', content_rowid='id', tokenize='trigram case_sensitive 1')""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON product BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text, search_story) VALUES (new.id, new.search_text, new.search_story);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON product BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text, search_story)
        VALUES ('delete', old.id, old.search_text, old.search_story);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text, search_story ON product BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text, search_story)
        VALUES ('delete', old.id, old.search_text, old.search_story);
        INSERT INTO {FTS_TABLE}(rowid, search_text, search_story) VALUES (new.id, new.search_text, new.search_story);
    END""",
]

POSTGRES_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS product_search_text_trgm ON product USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS product_search_story_trgm ON product USING gin (search_story gin_trgm_ops)",
]
