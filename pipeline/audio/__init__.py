"""The draft animatic's sound: scratch voices for dialogue, placeholder or file sounds for cues, one mix
per shot and its dialogue, effects and music stems.

`shot_mix.render_shot_sound` is the entry point; the other modules are its parts: `pcm` (the mix-rate
sample buffers and exact frame time), `espeak` (the synthesizer process), `scratch_voice` (voices, delivery,
cache), `placeholder_sounds` (generated cue sounds) and `cue_media` (decoding a cue's own file).
"""
