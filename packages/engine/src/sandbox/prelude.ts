// Guest JavaScript helpers, compiled inside a run's QuickJS context only when needed.
//
// Every run's globals (`console`, timer/fetch stubs, `queueMicrotask`) are host functions
// installed through the FFI, not guest source: compiling guest source is the main per-run cost
// (measured: ~0.2 ms for a 2 KB prelude, against ~0.05 ms for installing 16 host functions and
// ~0.15 ms for the fresh runtime + context itself). These helpers are compiled on first use:
// - FORMATTER_SOURCE when console.* receives something other than a primitive;
// - DESCRIBE_SOURCE when the run failed, to read the thrown value;
// - MICROTASK_SOURCE when queueMicrotask is called.
// They run in the guest, under the same time and memory limits, and see whatever the user's code
// did to the builtins (except JSON.stringify, which the host captured before the user's code ran
// and passes in): at worst that garbles the user's own logs and error messages, which the host
// treats as untrusted text anyway.
//
// Console formatting follows Node loosely: strings as-is, numbers/booleans/undefined/null via
// String, bigints with an "n", functions as [Function: name], errors as "Name: message" plus the
// stack, everything else as JSON (cycles shown as "[Circular]"); long lines are truncated.

/** `(stringify, maxChars) => (value) => string`: formats one console argument. */
export const FORMATTER_SOURCE = String.raw`(function (stringify, maxChars) {
  "use strict";
  var StringCtor = String, apply = Reflect.apply, isPrototypeOf = Object.prototype.isPrototypeOf;
  var errorProto = Error.prototype, slice = String.prototype.slice, WeakSetCtor = WeakSet;
  var weakSetHas = WeakSet.prototype.has, weakSetAdd = WeakSet.prototype.add;
  function isError(v) { try { return apply(isPrototypeOf, errorProto, [v]); } catch (e) { return false; } }
  function safeString(v) { try { return StringCtor(v); } catch (e) { return "[unprintable]"; } }
  function trimEnd(text) {
    var end = text.length;
    while (end > 0 && (text[end - 1] === "\n" || text[end - 1] === " ")) end--;
    return apply(slice, text, [0, end]);
  }
  function errorText(error) {
    var head;
    try { head = StringCtor(error.name) + ": " + StringCtor(error.message); } catch (e) { head = safeString(error); }
    var stack = "";
    try { stack = error.stack === undefined ? "" : trimEnd(StringCtor(error.stack)); } catch (e) { stack = ""; }
    return stack ? head + "\n" + stack : head;
  }
  function lenientJson(value) {
    var seen = new WeakSetCtor();
    return apply(stringify, undefined, [value, function (key, v) {
      if (typeof v === "bigint") return StringCtor(v) + "n";
      if (typeof v === "object" && v !== null) {
        if (apply(weakSetHas, seen, [v])) return "[Circular]";
        apply(weakSetAdd, seen, [v]);
      }
      return v;
    }]);
  }
  function format(value) {
    switch (typeof value) {
      case "string": return value;
      case "bigint": return StringCtor(value) + "n";
      case "symbol": return safeString(value);
      case "function": return "[Function: " + (safeString(value.name) || "anonymous") + "]";
      case "object": {
        if (value === null) return "null";
        if (isError(value)) return errorText(value);
        var text;
        try { text = apply(stringify, undefined, [value]); } catch (e) {
          try { text = lenientJson(value); } catch (e2) { text = undefined; }
        }
        return text === undefined ? safeString(value) : text;
      }
      default: return StringCtor(value);
    }
  }
  return function (value) {
    var text;
    try { text = format(value); } catch (e) { text = "[unprintable]"; }
    return text.length > maxChars ? apply(slice, text, [0, maxChars]) : text;
  };
})`;

/** `(error, stringify) => JSON text {name, message, stack}`: reads a thrown value. */
export const DESCRIBE_SOURCE = String.raw`(function (error, stringify) {
  "use strict";
  var StringCtor = String, apply = Reflect.apply;
  var isError = false;
  try { isError = apply(Object.prototype.isPrototypeOf, Error.prototype, [error]); } catch (e) { isError = false; }
  function safeString(v) { try { return StringCtor(v); } catch (e) { return "[unprintable]"; } }
  var name = "", message = "", stack = "";
  try {
    if (isError) {
      name = safeString(error.name);
      message = safeString(error.message);
      try { stack = error.stack === undefined ? "" : StringCtor(error.stack); } catch (e) { stack = ""; }
    } else if (typeof error === "object" && error !== null) {
      var text;
      try { text = apply(stringify, undefined, [error]); } catch (e) { text = undefined; }
      message = text === undefined ? safeString(error) : text;
    } else {
      message = safeString(error);
    }
  } catch (e) {
    message = "[unprintable error]";
  }
  return apply(stringify, undefined, [{ name: name, message: message, stack: stack }]);
})`;

/** `(callback) => void`: queueMicrotask on the guest's own job queue. */
export const MICROTASK_SOURCE = String.raw`(function (callback) {
  "use strict";
  if (typeof callback !== "function") throw new TypeError("queueMicrotask: callback must be a function");
  Promise.resolve().then(function () { callback(); });
})`;
