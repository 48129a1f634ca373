"""Pre-publication lint for Japanese technical articles.

>>> from ja_article_tools.lint import lint
>>> [(f.code, f.name) for f in lint("これはは問題です。")]
[('JA309', 'ja-no-successive-word')]
"""

from __future__ import annotations

from .config import Config, load_config
from .engine import apply_fixes, lint
from .registry import REGISTRY, Hit, Rule, all_rules, get_rule, rule

__all__ = ["lint", "apply_fixes", "Config", "load_config", "all_rules", "get_rule", "rule", "Rule", "Hit", "REGISTRY"]
