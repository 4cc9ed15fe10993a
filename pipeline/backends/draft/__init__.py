"""The draft backend: a CPU animatic made from the storyboard panel and the shot's camera move.

Each shot's picture is drawn once as a plate larger than the frame (the user's panel, or a
generated storyboard card), and every frame is one sub-pixel warp of that plate. The modules:

- camera_path: where the camera looks in each frame, as view-to-world matrices
- plate: a picture of the world at a chosen resolution, with the pyramid and warps that frame it
- panel: the user's panel image made into a plate
- look, canvas, card, figures, caption, weather: the generated storyboard card
- renderer: DraftRenderer, the ShotRenderer the registry creates
"""
