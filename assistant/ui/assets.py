"""The page's look and its few lines of script: contrast that passes WCAG AA, and citations that open their card.

The script does two things Gradio does not: a click on [n] shows the Evidence panel and moves
focus to that card, and each chat message is named for screen readers by the text it shows
(Gradio names a message by its raw markdown).
"""

from __future__ import annotations

import gradio as gr

INK, SUBDUED, ACCENT, ACCENT_DARK = "#111827", "#4b5563", "#1e40af", "#1e3a8a"  # on white: 17.7, 7.6, 8.7, 10.4 : 1


def theme() -> gr.themes.Base:
    """Gradio's default theme in system fonts, with colours that pass WCAG AA on white."""
    # system fonts: the page loads nothing from outside (no web fonts), so it works offline
    return gr.themes.Default(primary_hue="blue", neutral_hue="gray", font=["system-ui", "Segoe UI", "Arial", "sans-serif"],
                             font_mono=["ui-monospace", "Consolas", "monospace"]).set(
        button_primary_background_fill=ACCENT, button_primary_background_fill_hover=ACCENT_DARK,
        button_primary_text_color="#ffffff", button_primary_background_fill_dark=ACCENT,
        button_primary_text_color_dark="#ffffff", body_text_color_subdued=SUBDUED, input_placeholder_color=SUBDUED,
        link_text_color=ACCENT, link_text_color_visited=ACCENT_DARK)


CSS = f"""
#question textarea::placeholder {{color: {SUBDUED}; opacity: 1;}}
footer, footer a, footer button, footer span {{color: {SUBDUED} !important; opacity: 1 !important;}}
#chat .placeholder {{padding: 0 1.5em; max-width: 44em; margin: 0 auto;}}
.scope {{display: block; font-size: .85em; color: {SUBDUED};}}
#scope-line {{font-size: .9em; color: {SUBDUED};}}
a.cite {{font-weight: 600; text-decoration: underline; color: {ACCENT};}}
#citations .html-container, #passages .html-container, #timeline-passages .html-container {{
  max-height: 72vh; overflow-y: auto !important;}}
.card {{border-left: 3px solid #6b7280; padding: .3em .7em; margin: .6em 0; scroll-margin-top: 4em;}}
.card:focus, .card.flash {{outline: 3px solid {ACCENT}; outline-offset: 2px; background: #eff6ff;}}
.card h4 {{margin: .2em 0; font-size: 1em;}}
.card dl {{display: grid; grid-template-columns: max-content 1fr; gap: 0 .8em; margin: .3em 0; font-size: .9em;}}
.card dt {{font-weight: 600; color: {INK};}} .card dd {{margin: 0; color: {INK};}}
.card .passage {{position: relative; white-space: pre-wrap; max-height: 22em; overflow: auto; margin: .4em 0; color: {INK};}}
.card mark, #passages mark {{background: #fde68a; color: {INK};}}
.card-title {{font-style: italic; margin: .1em 0;}}
.turn > h3 {{font-size: 1em; margin: .8em 0 .2em; color: {INK};}}
#passages h3 {{font-size: 1.05em; margin: .8em 0 .1em;}} #passages h4 {{font-size: .95em; margin: .4em 0 0;}}
#passages h5 {{font-size: .9em; margin: .3em 0 0; color: {SUBDUED};}}
.listing li {{margin: .3em 0;}}
.facts dt {{font-weight: 600;}} .facts dd {{margin: 0 0 .3em 0;}}
.searching {{font-style: italic; color: {SUBDUED};}}
.filter-error {{color: #991b1b; font-weight: 600;}}
.upload-results td, .upload-results th {{padding: .1em .5em; text-align: left;}}
@media (max-width: 640px) {{ #chat {{height: 420px !important;}} .card dl {{grid-template-columns: 1fr;}} }}
"""

HEAD = r"""
<script>
(() => {
  function openCard(id) {
    const tab = [...document.querySelectorAll('button[role="tab"]')].find(b => b.textContent.trim() === 'Evidence');
    if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
    let tries = 0;
    const show = () => {
      const card = document.getElementById(id);
      if (!card) { if (tries++ < 20) setTimeout(show, 50); return; }
      card.scrollIntoView({block: 'start', behavior: 'smooth'});
      card.focus({preventScroll: true});
      card.classList.add('flash');
      const mark = card.querySelector('mark');  // the cited sentence, inside a passage that may scroll
      if (mark) { const box = mark.closest('.passage'); if (box) box.scrollTop = Math.max(0, mark.offsetTop - 8); }
      setTimeout(() => card.classList.remove('flash'), 2500);
    };
    show();
  }
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.cite');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    openCard((link.getAttribute('href') || '').replace(/^#/, ''));
  }, true);
  function nameMessages() {
    // Gradio names a message "<role>'s message: <raw markdown>"; name it by what it shows instead
    document.querySelectorAll('#chat [aria-label*="s message: "], #chat [data-named]').forEach((m) => {
      if (!m.dataset.named) m.dataset.named = m.getAttribute('aria-label').startsWith('user') ? 'You asked: ' : 'Answer: ';
      const text = m.dataset.named + m.innerText.replace(/\s+/g, ' ').trim();
      if (m.getAttribute('aria-label') !== text) m.setAttribute('aria-label', text);
    });
    const box = document.querySelector('#question textarea');
    if (box && box.getAttribute('aria-label') !== 'Your question') box.setAttribute('aria-label', 'Your question');
  }
  new MutationObserver(() => nameMessages()).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
})();
</script>
"""
