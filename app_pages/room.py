"""A workshop room, as the presenter sees it (ui/rooms.py): the code, the join link and its QR code,
the proposals arriving live, the controls for the round, the reveal and the vote."""
from ui import rooms, state

lang = state.lang()
rooms.standalone(lang)
rooms.presenter_page(lang)
