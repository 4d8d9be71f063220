// Live countdowns: every <time class="due"> says how long is left, or how late it is.
(function () {
  function words(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), h = Math.floor(m / 60), d = Math.floor(h / 24);
    var s = d ? d + "d " + (h % 24) + "h" : h + "h " + String(m % 60).padStart(2, "0") + "m";
    return ms < 0 ? "overdue by " + s : "in " + s;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.due").forEach(function (t) {
      var left = Date.parse(t.getAttribute("datetime")) - now;
      t.textContent = words(left);
      t.classList.toggle("late", left < 0);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
})();
