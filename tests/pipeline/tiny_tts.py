"""Tiny VITS voice models for the speech tests: random weights, a few kilobytes, laid out as the real
checkpoints are (config.json, model.safetensors, vocab.json, tokenizer_config.json) so they load through
the same from_pretrained path. Nothing is downloaded.

The duration predictor is pinned to a fixed duration per token (its output projection zeroed, its bias
set), so a line lasts as long as its phonemes say, the way a trained model's lines do; everything else
stays random, so the audio is noise with the shape of speech.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

# The symbol table of the LJ Speech and VCTK checkpoints: pad (the blank), punctuation, letters, IPA.
_PAD = "_"
_PUNCTUATION = ';:,.!?¡¿—…"«»“” '
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_IPA = "ɑɐɒæɓʙβɔɕçɗɖðʤəɘɚɛɜɝɞɟʄɡɠɢʛɦɧħɥʜɨɪʝɭɬɫɮʟɱɯɰŋɳɲɴøɵɸθœɶʘɹɺɾɻʀʁɽʂʃʈʧʉʊʋⱱʌɣɤʍχʎʏʑʐʒʔʡʕʢǀǁǂǃˈˌːˑʼʴʰʱʲʷˠˤ˞↓↑→↗↘'̩'ᵻ"

HOP = 64  # samples per spectrogram frame: 4 * 4 * 4
RATE = 16_000
FRAMES_PER_TOKEN = 12  # 48 ms a token at 16 kHz; with the blank between two phonemes, about 100 ms a phoneme


def build_tiny_vits(folder: Path, *, phonemes: bool = True, speakers: int = 1, stochastic: bool = False, seed: int = 0) -> Path:
    """A VITS model folder: `phonemes` makes it read IPA (as vits-ljs does), otherwise lower-case letters
    (as MMS-TTS checkpoints do); `speakers` > 1 makes it multi-speaker (as vits-vctk is); `stochastic`
    gives it the published checkpoints' flow-based duration predictor, whose durations stay random."""
    import torch
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    symbols = [_PAD, *_PUNCTUATION, *_LETTERS, *_IPA] if phonemes else [_PAD, " ", "'", *"abcdefghijklmnopqrstuvwxyz"]
    vocab: dict[str, int] = {}
    for symbol in symbols:
        vocab.setdefault(symbol, len(vocab))
    vocab["<unk>"] = len(vocab)
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = VitsTokenizer(str(vocab_file), pad_token=_PAD, unk_token="<unk>", add_blank=True, normalize=True, phonemize=phonemes)
    tokenizer.save_pretrained(folder)

    config = VitsConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        ffn_dim=32,
        flow_size=16,
        spectrogram_bins=33,
        upsample_initial_channel=16,
        upsample_rates=[4, 4, 4],
        upsample_kernel_sizes=[8, 8, 8],
        resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1, 3]],
        use_stochastic_duration_prediction=stochastic,
        duration_predictor_num_flows=2,
        duration_predictor_filter_channels=16,
        prior_encoder_num_flows=2,
        prior_encoder_num_wavenet_layers=2,
        posterior_encoder_num_wavenet_layers=2,
        depth_separable_num_layers=2,
        num_speakers=speakers,
        speaker_embedding_size=8 if speakers > 1 else 0,
        sampling_rate=RATE,
    )
    torch.manual_seed(seed)
    model = VitsModel(config)
    if not stochastic:
        with torch.no_grad():
            model.duration_predictor.proj.weight.zero_()
            model.duration_predictor.proj.bias.fill_(math.log(FRAMES_PER_TOKEN - 0.5))  # ceil(11.5) = 12 frames at the natural pace
    model.save_pretrained(folder)  # safetensors: transformers 5 writes nothing else
    assert (folder / "model.safetensors").is_file()
    return folder
