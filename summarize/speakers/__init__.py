"""Who said what: direct quotes and reported speech, with the speaker as the article names them.

One module a concern, all on the one parse, word lists as text files in `words/`:
- `quote_tokens`: quote marks paired over the whole text (summarize/quotes.py) mapped onto tokens;
- `cues`: speech verbs outside quotes, verbs framing a quote, "according to"; `sources`: the cue's speaker;
- `contents`: what the cue says (clause, interrupted clause, adjacent quote, verb-led content);
- `resolve`: pronouns and "the minister" to names (rules in summarize/mentions.py);
- `attribution`: the model (source, cue, content, resolved speaker) computed once per parse and shared with
  the figures' claimant; `statements`: the Brief's `speakers` and their one-line form.
"""

from summarize.speakers.attribution import Attribution, find_attributions
from summarize.speakers.statements import extract_speakers, format_statement
from summarize.speakers.words import SPEECH_VERBS

__all__ = ["SPEECH_VERBS", "Attribution", "extract_speakers", "find_attributions", "format_statement"]
