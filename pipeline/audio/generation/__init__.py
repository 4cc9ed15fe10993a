"""Sound cues generated from their descriptions by a text-to-audio model (Stable Audio Open, through diffusers).

`cue_sounds.CueSounds` is what the shot mix asks for a cue's audio: the cue's own file, else a clip the
model generated (cached on disk by content, so an unchanged cue is never generated twice), else the
built-in placeholder synthesizer when the weights are not on this machine. `stable_audio` runs the model
and keeps it loaded between cues; `clip_cache` stores the clips. torch and diffusers are imported only
when a clip is generated, never when these modules are.
"""
