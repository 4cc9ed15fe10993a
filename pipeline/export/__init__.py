"""Hand-off to editorial: timelines through OpenTimelineIO, shot media, a PDF storyboard and a shot list.

- `exporter.export_project` is the one entry point (CLI and Export dialog): it writes every chosen
  format into a staging folder and moves the results into place only when all are complete.
- `shot_clips`: which picture and sound stand for each shot (a take, a panel, a slate, offline).
- `shot_media`: per-shot media files (H.264 or ProRes, optional handles), the animatic and the
  sound mix; `sound_stems`: its dialogue, effects and music stems laid on the cut.
- `timeline`: the project as an `otio.schema.Timeline`; `timeline_transitions` puts the shots'
  dissolves on it; `interchange` writes and reads it in each editor's format through the OTIO
  adapters; `adapter_fixes` repairs what those adapters get wrong.
- `storyboard_pdf`, `shot_list`: the printed storyboard and the 1st AD's CSV.
- `cut_import`: reads an editor's recut and turns it into one undoable edit of the project.
"""
