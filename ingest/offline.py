"""No traffic off this machine: the libraries that would reach the network are told not to, before
they are imported.

``apply()`` runs when the ``ingest`` package is imported, which every product path does first (the CLI,
the web server and ``Assistant`` all import ``ingest.config``): a program that uses ``Assistant`` as a
library is offline too, which an entry point alone could not promise. onnxruntime, unless told otherwise, starts
a telemetry client that resolves ``mobile.events.data.microsoft.com`` seconds after the first session
(seen with ``strace -f -e trace=connect`` on ``verbatim serve``); the model hub and Gradio's analytics are
switched off for the same reason. Values are forced, not defaulted: an environment that turned one of
them on does not make the product phone home.
"""
from __future__ import annotations

import os

OFFLINE_ENV = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
}
QUIET_ENV = {  # defaults only: a user who wants the hub's progress bars or transformers' chatter may set them
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


def apply() -> None:
    """Set every variable of ``OFFLINE_ENV`` in this process (and so in the processes it starts), and
    ``QUIET_ENV`` where unset. The one place the product sets environment variables, besides the CLI's
    ``TOKENIZERS_PARALLELISM``."""
    os.environ.update(OFFLINE_ENV)
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
