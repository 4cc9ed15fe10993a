"""The tokenizer every tiny test model uses: one id per word of a fixed word list, built with
`tokenizers` (no download), wrapped as the fast tokenizer the pipelines load with from_pretrained."""

from __future__ import annotations

from collections.abc import Iterable


def word_level_tokenizer(words: Iterable[str], special: dict[str, str], lowercase: bool = False, model_max_length: int | None = None):
    """special: the tokenizer's special tokens by role ("pad_token": "<pad>", ...), in the order of
    their ids from 0; the words follow. lowercase: fold prompts to lower case first, so shot prompts
    map onto the word list rather than onto <unk>. model_max_length: the length pipelines pad to."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab: dict[str, int] = {}
    for token in [*special.values(), *words]:
        vocab.setdefault(token, len(vocab))
    word_level = Tokenizer(models.WordLevel(vocab=vocab, unk_token=special["unk_token"]))
    if lowercase:
        word_level.normalizer = normalizers.Lowercase()
    word_level.pre_tokenizer = pre_tokenizers.Whitespace()
    extra = {"model_max_length": model_max_length} if model_max_length is not None else {}
    return PreTrainedTokenizerFast(tokenizer_object=word_level, **special, **extra)


T5_SPECIAL = {"pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"}  # ids 0, 1, 2 as T5's configs expect
CLIP_SPECIAL = {"pad_token": "<pad>", "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<unk>"}
