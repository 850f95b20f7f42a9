/* The publishing form's milestone picker (templates/scheming/form_snippets/
 * ogp_milestones.html). The picker works without this script: commitments
 * open and close natively and milestones are plain checkboxes. The script
 * adds two things:
 *  - the filter box: shows only the milestones (and commitments) whose
 *    code, text or institutions contain every word typed, ignoring case
 *    and accents;
 *  - suggestions that follow the publisher: when another institution is
 *    chosen, the commitments of the type and of that institution become
 *    the suggested ones (first, open, marked).
 */
(function () {
  "use strict";

  var picker = document.getElementById("ogp-milestone-picker");
  if (!picker) {
    return;
  }
  var slice = Array.prototype.slice;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(attribute, element) {
    return ((element || picker).getAttribute(attribute) || "").split(/\s+/).filter(Boolean);
  }

  var groups = slice.call(picker.querySelectorAll("details.ogp-commitment-group")).map(function (el) {
    var own = fold(el.querySelector("summary").textContent + " " + el.getAttribute("data-institutions"));
    return {
      el: el,
      text: own,
      milestones: slice.call(el.querySelectorAll("li.ogp-milestone")).map(function (li) {
        return { el: li, text: own + " " + fold(li.textContent) };
      })
    };
  });

  // ---- the filter box ---------------------------------------------------
  var box = picker.querySelector(".ogp-milestone-filter");
  var input = document.getElementById("ogp-milestone-filter");
  var empty = picker.querySelector(".ogp-milestone-filter-empty");
  var filtering = false;

  function containsAll(text, terms) {
    return terms.every(function (term) { return text.indexOf(term) !== -1; });
  }

  function applyFilter() {
    var terms = fold(input.value).split(/\s+/).filter(Boolean);
    if (terms.length && !filtering) {
      groups.forEach(function (g) { g.wasOpen = g.el.open; });
    }
    var found = 0;
    groups.forEach(function (g) {
      var shown = 0;
      g.milestones.forEach(function (m) {
        var match = !terms.length || containsAll(m.text, terms);
        m.el.hidden = !match;
        shown += match ? 1 : 0;
      });
      var visible = !terms.length || shown > 0 || (!g.milestones.length && containsAll(g.text, terms));
      g.el.hidden = !visible;
      if (terms.length) {
        g.el.open = visible;
      } else if (filtering) {
        g.el.open = g.wasOpen || !!g.el.querySelector("input:checked");
      }
      found += shown;
    });
    slice.call(picker.querySelectorAll("fieldset.ogp-milestone-plan[data-plan]")).forEach(function (plan) {
      plan.hidden = !plan.querySelector("details.ogp-commitment-group:not([hidden])");
    });
    empty.hidden = !terms.length || found > 0;
    filtering = terms.length > 0;
  }

  if (box && input) {
    box.hidden = false;
    input.addEventListener("input", applyFilter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // not a submit of the whole form
      }
    });
  }

  // ---- suggestions that follow the publisher ---------------------------
  var publisher = document.getElementById("field-organizations");
  var institutions = JSON.parse(picker.getAttribute("data-org-institutions") || "{}");
  var forType = words("data-type-suggested");
  var label = picker.getAttribute("data-suggested-label");

  function suggest() {
    var institution = institutions[publisher.value];
    groups.forEach(function (g) {
      var code = g.el.getAttribute("data-commitment");
      var suggested = g.milestones.length > 0 && (forType.indexOf(code) !== -1 ||
        (!!institution && words("data-institutions", g.el).indexOf(institution) !== -1));
      if (suggested === g.el.classList.contains("ogp-suggested")) {
        return;
      }
      g.el.classList.toggle("ogp-suggested", suggested);
      var badge = g.el.querySelector(".ogp-badge-suggested");
      if (suggested && !badge) {
        badge = document.createElement("span");
        badge.className = "ogp-badge-suggested";
        badge.textContent = label;
        g.el.querySelector(".ogp-commitment-title").insertAdjacentElement("afterend", badge);
      } else if (!suggested && badge) {
        badge.parentNode.removeChild(badge);
      }
      g.el.open = suggested || !!g.el.querySelector("input:checked");
    });
    slice.call(picker.querySelectorAll(".ogp-commitment-groups")).forEach(function (list) {
      slice.call(list.children).sort(function (a, b) {
        return (b.classList.contains("ogp-suggested") - a.classList.contains("ogp-suggested")) ||
          (a.getAttribute("data-order") - b.getAttribute("data-order"));
      }).forEach(function (el) { list.appendChild(el); });
    });
  }

  function followPublisher() {
    // The publisher list is a select2 box whose changes come as jQuery
    // events (a jQuery handler also hears native ones); jQuery may load
    // after this script, so this waits for the page.
    if (window.jQuery) {
      window.jQuery(publisher).on("change", suggest);
    } else {
      publisher.addEventListener("change", suggest);
    }
  }

  if (publisher) {
    if (document.readyState === "complete") {
      followPublisher();
    } else {
      window.addEventListener("load", followPublisher);
    }
  }
})();
