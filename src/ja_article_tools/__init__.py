"""ja-article-tools: clean, tokenize, repair, extract from and lint Japanese articles.

>>> from ja_article_tools import process
>>> article = process("詳細はhttps://github.com/openai/gymを参照。")
>>> [(u.text, u.kind) for u in article.urls]
[('https://github.com/openai/gym', 'github-repo')]

Public names are imported lazily so that ``ja-article --help`` and the lint command
start without loading the tagger or the entity model.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "process": "pipeline",
    "process_file": "pipeline",
    "process_source": "pipeline",
    "ProcessOptions": "pipeline",
    "tokenize": "tokens",
    "split_sentences": "tokens",
    "clean": "clean",
    "CleanOptions": "clean",
    "decode": "read",
    "read_path": "read",
    "InputError": "read",
    "extract_urls": "extract.urls",
    "extract_emails": "extract.urls",
    "extract_entities": "extract.entities",
    "entity_summary": "extract.entities",
    "url_summary": "extract.urls",
    "find_code_blocks": "code.detect",
    "repair_code": "code.repair",
    "lint": "lint",
    "Article": "models",
    "Token": "models",
    "Url": "models",
    "Entity": "models",
    "CodeBlock": "models",
    "CodeRepair": "models",
    "Finding": "models",
    "SCHEMA_VERSION": "output",
    "load_schema": "output",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ja_article_tools' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from .clean import CleanOptions, clean
    from .code.detect import find_code_blocks
    from .code.repair import repair_code
    from .extract.entities import entity_summary, extract_entities
    from .extract.urls import extract_emails, extract_urls, url_summary
    from .lint import lint
    from .models import Article, CodeBlock, CodeRepair, Entity, Finding, Token, Url
    from .output import SCHEMA_VERSION, load_schema
    from .pipeline import ProcessOptions, process, process_file, process_source
    from .read import InputError, decode, read_path
    from .tokens import split_sentences, tokenize
