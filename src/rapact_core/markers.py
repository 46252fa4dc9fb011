"""The marker plugins put on their hook implementations."""

import pluggy

hookimpl = pluggy.HookimplMarker("rapact")
