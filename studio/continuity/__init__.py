"""The continuity ledger: the script supervisor's log kept as data, and the checks it makes possible.

How the ledger relates to the rest of the document (one source of truth per fact):

- A shot stores only what *changes* in it. A cast member's changes (wardrobe, hair/makeup, props in
  hand, condition, emotion, eyeline) live on its `CharacterInShot.changes`; changes to the place
  (time of day, weather, lighting key, practicals, set dressing, props on set) and to the scene
  (the action axis, the colour palette) live on `Shot.continuity_changes`. The subject of a change is
  where it is stored: the cast member, the shot's location, the shot's sequence. A change can
  therefore never name a character or place the project does not have: removing a character from a
  shot (or from the project) removes what was logged for them there, and undo brings it back. A
  place's change on a shot that has no location is kept but has no effect until it gets one.
- The state *in force* at a shot is derived by folding the changes in timeline order
  (`studio.continuity.ledger`), never stored:
    * a character's state carries across scenes until changed;
    * a location starts every sequence from its `Location.world` (the baseline the cinematographer
      sets once) and the ledger's changes carry forward to the end of that sequence;
    * a sequence's axis and palette start empty in each sequence.
- `Shot.world_override` keeps its meaning: a cheat for that one shot only (a lighting change for a
  wide, a scene's time of day set by the script importer). It applies on top of the state in force
  and never carries forward. To change the world from a shot on, log a change instead.
- A character's screen position is framing, not state: it is `CharacterInShot.position`, set per
  shot. The checker compares positions between shots to find 180° line crossings; a marked axis
  change (an `Aspect.AXIS` change on the shot) says the crossing is deliberate.

Modules: `changes` (the stored types), `ledger` (the fold), `validation` (what the loader refuses),
`checker` (continuity breaks), `prompt` (conditioning text), `commands` (undoable edits).
This package file imports nothing, so `studio.shot` can import the stored types without a cycle.
"""
