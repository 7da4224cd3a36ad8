"""Is this English? Only English is supported for now; anything else gets a clear answer, not a bad brief."""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier
from sumy.utils import get_stop_words

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SAMPLE_CHARS = 5_000


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    return frozenset(get_stop_words("english"))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" unless another language is clearly more likely.

    py3langid alone misjudges short English text dense with foreign names ("Syrskyi met Kuleba in Kyiv"),
    so a text where English function words are common is taken as English whatever the model says.
    """
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if not words:
        return "en"
    latin = sum(1 for word in words if word.isascii())
    stop_ratio = sum(1 for word in words if word.casefold() in _english_stop_words()) / len(words)
    if latin / len(words) >= 0.6 and stop_ratio >= 0.2:
        return "en"
    language, confidence = _identifier().classify(sample)
    if language != "en" and (confidence >= 0.5 or latin / len(words) < 0.5):
        return str(language)
    return "en"
