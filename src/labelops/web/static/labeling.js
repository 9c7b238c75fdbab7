// The labeling screen: keyboard-first, with the next item always prefetched.
//
// Order of work, so that no lease is ever stranded or doubled:
//   show item A -> lease B at once (/next?exclude=A)
//   submit A    -> show B immediately, send A's submit, and only once it is stored lease C
//                  (/next?exclude=B); the server gives a labeler at most two held items.
// Item text is always set with textContent, never parsed as HTML.
(() => {
  "use strict";

  const config = JSON.parse(document.getElementById("labeling-config").textContent);
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const byId = (id) => document.getElementById(id);
  const el = {
    loading: byId("loading"),
    card: byId("item-card"),
    text: byId("item-text"),
    language: byId("item-language"),
    externalId: byId("item-external-id"),
    panel: byId("labels-panel"),
    title: byId("labels-title"),
    hint: byId("labels-hint"),
    grid: byId("label-grid"),
    bar: byId("action-bar"),
    answer: byId("answer"),
    submit: byId("submit-button"),
    skip: byId("skip-button"),
    empty: byId("empty"),
    emptyTitle: byId("empty-title"),
    emptyMessage: byId("empty-message"),
    retry: byId("retry-button"),
    quizLink: byId("quiz-link"),
    status: byId("status"),
    count: byId("done-count"),
    helpButton: byId("help-button"),
    help: byId("help-dialog"),
    skipDialog: byId("skip-dialog"),
    skipForm: byId("skip-form"),
    skipNote: byId("skip-note"),
    skipError: byId("skip-error"),
    gold: byId("gold-dialog"),
    goldVerdict: byId("gold-verdict"),
    goldText: byId("gold-text"),
    goldGiven: byId("gold-given"),
    goldExpected: byId("gold-expected"),
    goldExplanationBox: byId("gold-explanation-box"),
    goldExplanation: byId("gold-explanation"),
    goldContinue: byId("gold-continue"),
    disputeButton: byId("dispute-button"),
    disputeForm: byId("dispute-form"),
    disputeComment: byId("dispute-comment"),
    disputeError: byId("dispute-error"),
    disputeSend: byId("dispute-send"),
    disputeSent: byId("dispute-sent"),
    ask: byId("ask-button"),
    askDialog: byId("ask-dialog"),
    askForm: byId("ask-form"),
    askBody: byId("ask-body"),
    askError: byId("ask-error"),
    askSend: byId("ask-send"),
    answersLink: byId("answers-link"),
  };

  const MULTI = config.kind === "multi";
  const leaves = new Map(); // key -> {label, group}
  for (const label of config.labels) {
    if (label.children.length === 0) leaves.set(label.key, { label, group: null });
    for (const child of label.children) leaves.set(child.key, { label: child, group: label });
  }
  const countKey = `labelops.done.${config.projectId}`;

  const state = {
    current: null, // the lease on screen
    next: null, // Promise of the outcome of leasing the item after `current`
    prefetched: null, // that lease, once it has arrived (released when the page goes away)
    work: Promise.resolve(), // submits and skips, one after another
    selected: [],
    group: null, // the open group, or null at the top level
    shownAt: 0,
    done: Number(sessionStorage.getItem(countKey) || 0),
    statusTimer: 0,
    feedback: [], // gold feedback waiting to be shown: {lease, labels, result}
    goldOpenedAt: 0,
  };

  // ---------- talking to the API ----------

  async function api(method, url, body, options = {}) {
    const headers = { Accept: "application/json", "X-CSRF-Token": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      keepalive: Boolean(options.keepalive),
    });
    if (response.status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
      throw new Error("logged out");
    }
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch {
        data = null;
      }
    }
    return { status: response.status, data };
  }

  async function lease(exclude) {
    const url = new URL(config.urls.next, window.location.origin);
    if (exclude) url.searchParams.set("exclude", String(exclude));
    try {
      const { status, data } = await api("GET", url);
      if (status === 200) return { kind: "item", lease: data };
      if (status === 204) return { kind: "empty" };
      return { kind: "blocked", code: data && data.error, message: data && data.message };
    } catch (error) {
      return { kind: "offline", message: String(error) };
    }
  }

  // A submit or skip is retried on network trouble and server hiccups; repeating the same
  // submit is harmless (the server answers 200 with the stored annotation).
  async function send(url, body) {
    const waits = [400, 1200, 3000];
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await api("POST", url, body);
        const transient = result.status >= 500 || (result.data && result.data.error === "retry");
        if (!transient || attempt >= waits.length) return result;
      } catch (error) {
        if (attempt >= waits.length) return { status: 0, data: null };
      }
      await new Promise((resolve) => setTimeout(resolve, waits[attempt]));
    }
  }

  function prefetchAfter(shown, after) {
    const pending = after.then(() => lease(shown.assignment_id));
    pending.then((outcome) => {
      if (state.next === pending && outcome.kind === "item") state.prefetched = outcome.lease;
    });
    state.next = pending;
    state.prefetched = null;
  }

  // ---------- showing things ----------

  function show(next) {
    state.current = next;
    state.selected = [];
    state.group = null;
    el.loading.hidden = true;
    el.empty.hidden = true;
    el.card.hidden = false;
    el.panel.hidden = false;
    el.bar.hidden = false;
    el.text.textContent = next.item.text;
    el.text.lang = next.item.language;
    el.text.dir = "auto";
    el.text.scrollTop = 0;
    el.language.textContent = next.item.language;
    el.externalId.textContent = next.item.external_id;
    el.externalId.title = `External id: ${next.item.external_id}`;
    el.card.classList.remove("is-fresh");
    void el.card.offsetWidth; // restart the fade-in
    el.card.classList.add("is-fresh");
    renderLabels();
    state.shownAt = performance.now();
  }

  function showLoading() {
    state.current = null;
    el.card.hidden = true;
    el.panel.hidden = true;
    el.bar.hidden = true;
    el.empty.hidden = true;
    el.loading.hidden = false;
  }

  function showEmpty(outcome) {
    state.current = null;
    state.next = null;
    state.prefetched = null;
    el.loading.hidden = true;
    el.card.hidden = true;
    el.panel.hidden = true;
    el.bar.hidden = true;
    el.empty.hidden = false;
    if (outcome.kind === "empty") {
      el.emptyTitle.textContent = "Nothing to label right now";
      el.emptyMessage.textContent =
        "Every item available to you is done or being labeled by someone else. New items may arrive later.";
    } else if (outcome.kind === "offline") {
      el.emptyTitle.textContent = "Can't reach the server";
      el.emptyMessage.textContent = "Check your connection, then try again.";
    } else {
      el.emptyTitle.textContent = "Labeling is not available right now";
      el.emptyMessage.textContent = outcome.message || "Please try again later.";
    }
    if (outcome.code === "guidelines_unacknowledged") {
      // New guidelines or procedures to read: the page itself shows them with their changes.
      window.location.reload();
      return;
    }
    const quiz = outcome.code === "qualification_required" || outcome.code === "failed_qualification";
    el.quizLink.hidden = !quiz;
    el.retry.classList.toggle("btn-primary", !quiz);
    el.quizLink.textContent =
      outcome.code === "failed_qualification" ? "See your quiz results" : "Take the qualification quiz";
    (quiz ? el.quizLink : el.retry).focus({ preventScroll: true });
  }

  function present(outcome) {
    if (outcome.kind === "item") {
      show(outcome.lease);
      prefetchAfter(outcome.lease, state.work);
    } else {
      showEmpty(outcome);
    }
  }

  function say(message, tone = "warn") {
    clearTimeout(state.statusTimer);
    el.status.classList.toggle("is-info", tone === "info");
    el.status.textContent = message;
    state.statusTimer = setTimeout(() => {
      el.status.textContent = "";
    }, 8000);
  }

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function labelButton(label, { pressed = false, group = false, count = 0 } = {}) {
    const button = node("button", "label-btn");
    button.type = "button";
    button.dataset.key = label.key;
    button.appendChild(node("kbd", "", label.hotkey));
    button.appendChild(node("span", "label-name", label.name));
    if (group) {
      button.setAttribute("aria-haspopup", "true");
      if (count > 0) {
        button.classList.add("has-selection");
        button.appendChild(node("span", "label-count", String(count)));
      } else {
        button.appendChild(node("span", "label-more", "›"));
      }
    } else {
      button.setAttribute("aria-pressed", String(pressed));
      button.appendChild(node("span", "label-more", pressed ? "✓" : ""));
    }
    if (label.description !== label.name) {
      button.appendChild(node("span", "label-desc", label.description));
      button.title = label.description;
    }
    button.addEventListener("click", () => pick(label));
    return button;
  }

  function renderLabels() {
    const group = state.group;
    el.grid.replaceChildren();
    el.title.replaceChildren();
    el.grid.classList.toggle("is-group", Boolean(group));
    if (group) {
      el.title.appendChild(node("span", "crumb-root", "Labels ›"));
      el.title.appendChild(node("span", "", group.name));
      el.hint.textContent = MULTI
        ? "Press a key to toggle a label · Esc to go back"
        : "Press a key to choose · Esc to go back";
      for (const child of group.children) {
        el.grid.appendChild(labelButton(child, { pressed: state.selected.includes(child.key) }));
      }
      const back = node("button", "label-btn is-back");
      back.type = "button";
      back.appendChild(node("kbd", "", "Esc"));
      back.appendChild(node("span", "label-name", "Back to all groups"));
      back.addEventListener("click", () => goBack());
      el.grid.appendChild(back);
    } else {
      el.title.textContent = "Labels";
      el.hint.textContent = config.labels.every((label) => label.children.length > 0)
        ? "Press a group's key to open it"
        : "Press a key to pick a label or open a group";
      for (const label of config.labels) {
        const isGroup = label.children.length > 0;
        const count = isGroup
          ? label.children.filter((child) => state.selected.includes(child.key)).length
          : 0;
        el.grid.appendChild(
          labelButton(label, { group: isGroup, count, pressed: state.selected.includes(label.key) }),
        );
      }
    }
    renderAnswer();
  }

  function renderAnswer() {
    el.answer.replaceChildren();
    if (state.selected.length === 0) {
      el.answer.appendChild(node("span", "answer-empty", "No label selected yet"));
    } else {
      el.answer.appendChild(node("span", "answer-label", MULTI ? "Your labels:" : "Your label:"));
      for (const key of state.selected) {
        const { label, group } = leaves.get(key);
        const chip = node("span", "chip");
        if (group) chip.appendChild(node("span", "chip-group", `${group.name} ›`));
        chip.appendChild(node("span", "", label.name));
        const remove = node("button", "", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", `Remove ${label.name}`);
        remove.addEventListener("click", () => {
          state.selected = state.selected.filter((k) => k !== key);
          renderLabels();
        });
        chip.appendChild(remove);
        el.answer.appendChild(chip);
      }
    }
    el.submit.disabled = state.selected.length === 0;
  }

  // ---------- choosing ----------

  function pick(label) {
    if (!state.current) return;
    if (label.children.length > 0) {
      state.group = label;
    } else if (MULTI) {
      state.selected = state.selected.includes(label.key)
        ? state.selected.filter((key) => key !== label.key)
        : [...state.selected, label.key];
    } else {
      state.selected = [label.key];
    }
    renderLabels();
  }

  function goBack() {
    if (state.group) state.group = null;
    else state.selected = [];
    renderLabels();
  }

  // Hotkeys match the character typed; with a non-Latin keyboard layout (an Arabic or Hindi
  // labeler's), fall back to the physical key, so "1" or "a" still work.
  function match(event, labels) {
    const typed = event.key.length === 1 ? event.key.toLowerCase() : "";
    const found = labels.find((label) => label.hotkey.toLowerCase() === typed);
    if (found) return found;
    const code = /^(?:Digit|Numpad)(\d)$/.exec(event.code) || /^Key([A-Z])$/.exec(event.code);
    if (!code || /^[\x20-\x7e]$/.test(event.key)) return null;
    const physical = code[1].toLowerCase();
    return labels.find((label) => label.hotkey.toLowerCase() === physical) || null;
  }

  // ---------- finishing an item ----------

  function finish(request, after) {
    if (!state.current) return;
    const upcoming = state.next;
    state.next = null;
    state.prefetched = null;
    const outcome = state.work.then(() => send(request.url, request.body));
    state.work = outcome.then(after, () => undefined);
    showLoading();
    (upcoming || Promise.resolve({ kind: "none" })).then((next) => {
      if (next.kind === "item") {
        show(next.lease);
        prefetchAfter(next.lease, state.work);
      } else {
        // No item was waiting: ask again once the server has the answer.
        state.work.then(() => lease(null)).then(present);
      }
    });
  }

  function submit() {
    if (!state.current || state.selected.length === 0) return;
    const duration = Math.max(1, Math.round(performance.now() - state.shownAt));
    const shown = state.current;
    const labels = [...state.selected];
    const id = shown.assignment_id;
    finish(
      {
        url: `${config.urls.assignment}${id}/submit`,
        body: { labels, duration_ms: duration },
      },
      (result) => {
        if (result.status === 200 || result.status === 201) {
          state.done += 1;
          sessionStorage.setItem(countKey, String(state.done));
          el.count.textContent = String(state.done);
          if (state.done % 10 === 0) checkAnswers();
          if (result.data && result.data.gold) showGold({ lease: shown, labels, result: result.data });
        } else {
          say(problem(result, "Your answer could not be stored."));
        }
      },
    );
  }

  function skip(reason, note) {
    if (!state.current) return;
    const id = state.current.assignment_id;
    const body = note ? { reason, note } : { reason };
    finish({ url: `${config.urls.assignment}${id}/skip`, body }, (result) => {
      if (result.status !== 200) say(problem(result, "The item could not be skipped."));
      else if (reason === "distressing") {
        say("Skipped. Take a moment if you need one — the next item can wait.", "info");
      } else say("Skipped. Someone else will label it.", "info");
    });
  }

  function problem(result, fallback) {
    const code = result.data && result.data.error;
    if (result.status === 0) return `${fallback} The server could not be reached; the item will come back to you.`;
    if (code === "lease_expired") {
      return "Your time on the previous item ran out and others completed it, so that answer was not stored.";
    }
    if (code === "already_submitted") return "That item was already submitted; your first answer stands.";
    const detail = result.data && result.data.message;
    return detail ? `${fallback} ${detail}` : fallback;
  }

  // ---------- gold feedback ----------

  // A check item is only known as such once its submit is answered, by which time the next
  // item is already on screen: the feedback opens over it, and the time spent reading it is
  // not counted as handling time of that next item.
  function chips(target, keys) {
    target.replaceChildren();
    for (const key of keys) {
      const found = leaves.get(key);
      const chip = node("span", "chip");
      if (found && found.group) chip.appendChild(node("span", "chip-group", `${found.group.name} ›`));
      chip.appendChild(node("span", "", found ? found.label.name : key));
      target.appendChild(chip);
    }
  }

  function showGold(feedback) {
    if (el.gold.open) {
      state.feedback.push(feedback);
      return;
    }
    const { lease: shown, labels, result } = feedback;
    const gold = result.gold;
    el.gold.dataset.itemId = String(result.item_id);
    el.goldVerdict.textContent = gold.correct ? "✓ Your answer matches" : "✗ Not the expected answer";
    el.goldVerdict.classList.toggle("is-right", gold.correct);
    el.goldVerdict.classList.toggle("is-wrong", !gold.correct);
    el.goldText.textContent = shown.item.text;
    el.goldText.lang = shown.item.language;
    chips(el.goldGiven, labels);
    chips(el.goldExpected, gold.expected);
    el.goldExplanation.textContent = gold.explanation;
    el.goldExplanationBox.hidden = !gold.explanation;
    el.disputeForm.hidden = true;
    el.disputeForm.reset();
    el.disputeError.hidden = true;
    el.disputeSent.hidden = true;
    el.disputeSend.hidden = true;
    el.disputeButton.hidden = gold.correct;
    state.goldOpenedAt = performance.now();
    el.gold.showModal();
    el.goldContinue.focus();
  }

  function closeGold() {
    if (!el.gold.open) return;
    el.gold.close();
  }

  el.gold.addEventListener("close", () => {
    state.shownAt += performance.now() - state.goldOpenedAt;
    if (el.gold.contains(document.activeElement)) document.activeElement.blur();
    const waiting = state.feedback.shift();
    if (waiting) showGold(waiting);
  });

  function openDispute() {
    if (el.disputeButton.hidden) return;
    el.disputeButton.hidden = true;
    el.disputeForm.hidden = false;
    el.disputeSend.hidden = false;
    el.disputeComment.focus();
  }

  function cancelDispute() {
    el.disputeForm.hidden = true;
    el.disputeSend.hidden = true;
    el.disputeButton.hidden = false;
    el.goldContinue.focus();
  }

  async function sendDispute() {
    const comment = el.disputeComment.value.trim();
    if (!comment) {
      el.disputeError.textContent = "Say why you think the expected answer is wrong.";
      el.disputeError.hidden = false;
      el.disputeComment.focus();
      return;
    }
    el.disputeSend.disabled = true;
    const result = await send(config.urls.disputes, {
      item_id: Number(el.gold.dataset.itemId),
      comment,
    });
    el.disputeSend.disabled = false;
    if (result.status === 201) {
      el.disputeForm.hidden = true;
      el.disputeSend.hidden = true;
      el.disputeSent.hidden = false;
      el.goldContinue.focus();
    } else {
      el.disputeError.textContent = problem(result, "The dispute could not be sent.");
      el.disputeError.hidden = false;
    }
  }

  function goldKeys(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const inComment = event.target === el.disputeComment;
    if (event.key === "Escape") {
      event.preventDefault(); // the dialog stays; Esc leaves the comment, or continues
      event.stopPropagation();
      if (!el.disputeForm.hidden) cancelDispute();
      else closeGold();
    } else if (event.key === "Enter" && !event.shiftKey) {
      if (event.target instanceof Element && event.target.closest("button") && !inComment) return;
      event.preventDefault();
      if (!el.disputeForm.hidden) sendDispute();
      else closeGold();
    } else if ((event.key === "d" || event.key === "D") && !inComment) {
      event.preventDefault();
      openDispute();
    }
  }
  el.gold.addEventListener("keydown", goldKeys);
  el.gold.addEventListener("cancel", (event) => event.preventDefault()); // Esc is handled above
  el.goldContinue.addEventListener("click", closeGold);
  el.disputeButton.addEventListener("click", openDispute);
  el.disputeSend.addEventListener("click", sendDispute);
  el.disputeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendDispute();
  });

  // ---------- dialogs ----------

  function openSkip() {
    if (!state.current) return;
    el.skipForm.reset();
    el.skipError.hidden = true;
    el.skipDialog.showModal();
    const first = el.skipForm.querySelector('input[name="reason"]');
    if (first) first.focus();
  }

  function confirmSkip() {
    const chosen = el.skipForm.querySelector('input[name="reason"]:checked');
    if (!chosen) {
      el.skipError.hidden = false;
      return;
    }
    const note = el.skipNote.value.trim();
    el.skipDialog.close();
    skip(chosen.value, note);
  }

  el.skipForm.addEventListener("submit", (event) => {
    event.preventDefault();
    confirmSkip();
  });
  function skipKeys(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      event.stopPropagation(); // the dialog closes itself; the screen behind stays as it was
      return;
    }
    if (event.key === "Enter") {
      if (event.target instanceof Element && event.target.closest("[data-close]")) return;
      event.preventDefault();
      confirmSkip();
      return;
    }
    if (event.target === el.skipNote) return;
    const reason = el.skipForm.querySelector(`input[data-key="${CSS.escape(event.key)}"]`);
    if (reason) {
      event.preventDefault();
      reason.checked = true;
      reason.focus();
      el.skipError.hidden = true;
    }
  }
  el.skipDialog.addEventListener("keydown", skipKeys);

  // ---------- questions from the floor ----------

  function openAsk() {
    if (!state.current) return;
    el.askForm.reset();
    el.askError.hidden = true;
    el.askDialog.showModal();
    el.askBody.focus();
  }

  async function sendQuestion() {
    const asked = state.current;
    const body = el.askBody.value.trim();
    if (!asked) return;
    if (!body) {
      el.askError.textContent = "Write your question first.";
      el.askError.hidden = false;
      el.askBody.focus();
      return;
    }
    el.askSend.disabled = true;
    const result = await send(config.urls.questions, { item_id: asked.item.id, body });
    el.askSend.disabled = false;
    if (result.status === 201) {
      el.askDialog.close();
      say("Question sent. You will see the answer under “answered questions”.", "info");
    } else {
      el.askError.textContent = problem(result, "The question could not be sent.");
      el.askError.hidden = false;
    }
  }

  el.askForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendQuestion();
  });
  function askKeys(event) {
    if (event.key === "Escape") {
      event.stopPropagation();
    } else if (event.key === "Enter" && !event.shiftKey) {
      if (event.target instanceof Element && event.target.closest("[data-close]")) return;
      event.preventDefault();
      sendQuestion();
    }
  }
  el.askDialog.addEventListener("keydown", askKeys);

  // Answers to one's questions, counted apart from the lease so that /next stays as fast as it
  // is; "new" means given after this browser last opened the list.
  const seenKey = `labelops.answers.seen.${config.projectId}`;
  async function checkAnswers() {
    const url = new URL(`${config.urls.questions}/summary`, window.location.origin);
    const seen = localStorage.getItem(seenKey);
    if (seen) url.searchParams.set("since", seen);
    try {
      const { status, data } = await api("GET", url);
      if (status !== 200) return;
      const fresh = seen ? data.answered_since : data.answered;
      el.answersLink.hidden = !fresh;
      el.answersLink.textContent = `${fresh} answered question${fresh === 1 ? "" : "s"}`;
    } catch {
      // no news is fine: the link just stays as it was
    }
  }
  el.answersLink.addEventListener("click", () => {
    localStorage.setItem(seenKey, new Date().toISOString());
  });

  function toggleHelp() {
    if (el.help.open) el.help.close();
    else el.help.showModal();
  }
  function helpKeys(event) {
    if (event.key === "Escape") event.stopPropagation();
    if (event.key === "?") {
      event.preventDefault();
      el.help.close();
    }
  }
  el.help.addEventListener("keydown", helpKeys);
  for (const dialog of [el.help, el.skipDialog, el.askDialog]) {
    // Focus can linger inside a dialog that just closed; the next key belongs to the screen.
    dialog.addEventListener("close", () => {
      // (The event comes a moment late: the dialog may have been opened again since.)
      if (!dialog.open && dialog.contains(document.activeElement)) document.activeElement.blur();
    });
    for (const button of dialog.querySelectorAll("[data-close]")) {
      button.addEventListener("click", () => dialog.close());
    }
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
  }

  // ---------- keyboard ----------

  // Only fields that take text keep the keys; a radio button or checkbox does not.
  const NOT_TEXT = new Set(["radio", "checkbox", "button", "submit", "reset", "range", "color", "file"]);
  function isTyping(target) {
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable) return true;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
    return target instanceof HTMLInputElement && !NOT_TEXT.has(target.type);
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    // An open dialog takes the keys, even when focus has not reached it yet.
    const outside = !(event.target instanceof Element) || !event.target.closest("dialog");
    if (el.gold.open) {
      if (outside) goldKeys(event);
      return;
    }
    if (el.skipDialog.open) {
      if (outside) skipKeys(event);
      return;
    }
    if (el.askDialog.open) {
      if (outside) askKeys(event);
      return;
    }
    if (el.help.open) {
      if (outside) helpKeys(event);
      return;
    }
    if (isTyping(event.target)) return;
    const key = event.key;
    if (key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (!state.current) {
      if ((key === "r" || key === "R") && !el.empty.hidden) {
        event.preventDefault();
        retry();
      }
      return;
    }
    if (key === "Enter") {
      // Enter on a link or a menu keeps its usual meaning.
      if (event.target instanceof Element && event.target.closest("a, summary, .usermenu")) return;
      event.preventDefault();
      submit();
    } else if (key === "s" || key === "S") {
      event.preventDefault();
      openSkip();
    } else if (key === "Q") {
      // Shift+Q only: a plain "q" may be a label's key.
      event.preventDefault();
      openAsk();
    } else if (key === "Escape") {
      event.preventDefault();
      goBack();
    } else {
      const label = match(event, state.group ? state.group.children : config.labels);
      if (label) {
        event.preventDefault();
        pick(label);
      }
    }
  });

  el.submit.addEventListener("click", submit);
  el.skip.addEventListener("click", openSkip);
  el.ask.addEventListener("click", openAsk);
  el.helpButton.addEventListener("click", toggleHelp);
  el.retry.addEventListener("click", retry);
  el.count.textContent = String(state.done);

  function retry() {
    showLoading();
    state.work.then(() => lease(null)).then(present);
  }

  // ---------- leaving ----------

  // The item on screen stays held (it comes back first on return); the prefetched one goes
  // back to the queue at once.
  window.addEventListener("pagehide", () => {
    const held = state.prefetched;
    state.prefetched = null;
    state.next = null;
    if (held) {
      api("POST", `${config.urls.assignment}${held.assignment_id}/release`, undefined, {
        keepalive: true,
      }).catch(() => undefined);
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && state.current && !state.next) prefetchAfter(state.current, state.work);
  });

  showLoading();
  lease(null).then(present);
  checkAnswers();
})();
