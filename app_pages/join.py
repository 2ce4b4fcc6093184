"""A workshop room, as a participant sees it on a phone (ui/rooms.py): join with a name, propose the
five levers with an optional guess, revise until the round is locked, see the results, vote."""
from ui import rooms, state

lang = state.lang()
rooms.standalone(lang)
rooms.participant_page(lang)
