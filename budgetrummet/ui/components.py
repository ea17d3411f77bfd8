"""Streamlit pieces more than one page shows, defined once."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

QUALITY_PAGE = "views/data_quality.py"
QUALITY_URL = "datakvalitet"
QUALITY_ICON = ":material/fact_check:"


def quality_link(label: str = "Se Datakvalitet", org: str | None = None) -> None:
    """A link to the Datakvalitet page.

    Inside the app it is a page link; when a page runs on its own (tests, a scratch
    router without that page) it falls back to a relative link, with the validated
    organisation id when one is given.
    """
    try:
        st.page_link(QUALITY_PAGE, label=label, icon=QUALITY_ICON)
    except StreamlitAPIException:
        url = f"{QUALITY_URL}?org={org}" if org else QUALITY_URL
        where = "" if "sidan Datakvalitet" in label else " (sidan Datakvalitet)"
        st.markdown(f"{QUALITY_ICON} [{label}]({url}){where}")


# Streamlit's frontend names every help icon "Help for <label>" (or "Help") for screen
# readers, in English, with no setting to change it. This static script (no data in it)
# renames them "Hjälp om <label>" as they appear and whenever React sets the attribute
# again; the visible tooltip text is the page's own Swedish help.
HELP_LABELS_JS = """
<script>
(() => {
  const doc = window.parent && window.parent !== window ? window.parent.document : document;
  if (doc.body.dataset.brHelpLabels) return;
  doc.body.dataset.brHelpLabels = "1";
  const swedish = (el) => {
    const label = el.getAttribute("aria-label");
    if (label === "Help") el.setAttribute("aria-label", "Hjälp");
    else if (label && label.startsWith("Help for "))
      el.setAttribute("aria-label", "Hjälp om " + label.slice(9));
  };
  const scan = (root) => root.querySelectorAll('[aria-label^="Help"]').forEach(swedish);
  scan(doc);
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "attributes") swedish(c.target);
      else c.addedNodes.forEach((n) => { if (n.nodeType === 1) { swedish(n); scan(n); } });
    }
  }).observe(doc.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"],
  });
})();
</script>
"""


def swedish_help_labels() -> None:
    """Help icons announced in Swedish to screen readers (see ``HELP_LABELS_JS``).

    Drawn at the end of the sidebar, where its empty element takes no visible space."""
    st.sidebar.html(HELP_LABELS_JS, unsafe_allow_javascript=True)


# The file pickers' limit in the browser and on the server (MB; ``server.maxUploadSize``
# in .streamlit/config.toml is the same figure). Streamlit refuses a larger file in the
# browser with an English message and never sends it, so the limit is set well above the
# app's own cap (``upload.rules.MAX_BYTES``, 10 MB): a file between the two reaches the
# server and is refused there with a Swedish message naming both sizes.
UPLOAD_LIMIT_MB = 50
