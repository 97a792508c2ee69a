/*
 * Accessible autocomplete (ARIA 1.2 combobox with a listbox popup), shared by every autocomplete widget.
 *
 * Markup (rendered by the form widgets, see rome/widgets.py and territories/widgets.py):
 *   <div data-autocomplete data-url="/api/v1/…" data-item-value="code" data-item-label="label"
 *        data-item-hint="rome_code" data-min-chars="2">
 *     <input type="text" role="combobox" aria-controls="LISTBOX_ID" aria-expanded="false" aria-autocomplete="list">
 *     <input type="hidden" data-autocomplete-value name="…">
 *     <ul id="LISTBOX_ID" role="listbox" hidden></ul>
 *     <p data-autocomplete-status class="fr-sr-only" aria-live="polite"></p>
 *   </div>
 * The API answers {"items": [...]}; without JavaScript the text input is submitted and the server resolves it.
 */
(function () {
  "use strict";

  function setup(root) {
    var input = root.querySelector('input[role="combobox"]');
    var hidden = root.querySelector("input[data-autocomplete-value]");
    var listbox = root.querySelector('[role="listbox"]');
    var status = root.querySelector("[data-autocomplete-status]");
    var minChars = parseInt(root.dataset.minChars || "2", 10);
    var valueKey = root.dataset.itemValue || "code";
    var labelKey = root.dataset.itemLabel || "label";
    var hintKey = root.dataset.itemHint || "";
    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      input.value = item[labelKey];
      if (hidden) {
        hidden.value = item[valueKey];
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      root.dispatchEvent(new CustomEvent("autocomplete:select", { detail: item, bubbles: true }));
      close();
    }

    function highlight(index) {
      var options = listbox.querySelectorAll('[role="option"]');
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function render() {
      listbox.innerHTML = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item[labelKey];
        if (hintKey && item[hintKey]) {
          var hint = document.createElement("span");
          hint.className = "autocomplete__hint";
          hint.textContent = " " + item[hintKey];
          option.appendChild(hint);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        listbox.appendChild(option);
      });
      var open = items.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (status) {
        status.textContent = items.length
          ? items.length + " suggestion" + (items.length > 1 ? "s" : "") + " disponible" + (items.length > 1 ? "s" : "") +
            ", utilisez les flèches pour naviguer"
          : "Aucune suggestion";
      }
    }

    function fetchItems() {
      var query = input.value.trim();
      if (query.length < minChars) {
        items = [];
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = root.dataset.url + (root.dataset.url.indexOf("?") >= 0 ? "&" : "?") +
        "q=" + encodeURIComponent(query) + "&limit=" + (root.dataset.limit || "10");
      fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) { items = data.items || []; render(); })
        .catch(function (error) { if (error.name !== "AbortError") { items = []; render(); } });
    }

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(fetchItems, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden && items.length) render();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function init(scope) {
    (scope || document).querySelectorAll("[data-autocomplete]").forEach(function (root) {
      if (!root.dataset.autocompleteReady) {
        root.dataset.autocompleteReady = "1";
        setup(root);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
