//! The ported matcher against Lua 5.4's own `string.find/match/gmatch/gsub` on a corpus: every
//! case's results (or error message) must be identical.

use mlua::{Lua, Table};

/// Each case is a Lua expression list evaluated inside `pcall`; `G(...)` collects a `gmatch`.
const CORPUS: &[&str] = &[
    // find: plain and special
    r#"string.find("hello world", "o w")"#,
    r#"string.find("hello world", "o", 6)"#,
    r#"string.find("hello", "l", -2)"#,
    r#"string.find("hello", "l", -100)"#,
    r#"string.find("hello", "", 10)"#,
    r#"string.find("hello", "", 6)"#,
    r#"string.find("hello", "", 0)"#,
    r#"string.find("", "")"#,
    r#"string.find("a.b", ".", 1, true)"#,
    r#"string.find("a.b", "%.")"#,
    r#"string.find("a+b", "+", 1, true)"#,
    r#"string.find("abc\0def", "\0d")"#,
    r#"string.find("abc\0def", "c%z?d")"#,
    r#"string.find("aaab", "a-b")"#,
    r#"string.find("aaab", "^a-b")"#,
    r#"string.find("xaaab", "^a-b")"#,
    r#"string.find("hello", "(l)(l)")"#,
    r#"string.find("hello", "()ll()")"#,
    r#"string.find("  x", "^%s*")"#,
    r#"string.find("abc", "b", 1.0)"#,
    r#"string.find("abc", "b", "2")"#,
    r#"string.find(12345, 34)"#,
    r#"string.find("abc", "[a-")"#,
    r#"string.find("abc", "[a")"#,
    r#"string.find("abc", "%")"#,
    r#"string.find("abc", "(")"#,
    r#"string.find("abc", ")")"#,
    r#"string.find("abc", "%1")"#,
    r#"string.find("abc", "(a)%2")"#,
    r#"string.find("abc", "(a%1)")"#,
    r#"string.find("abc", "%b")"#,
    r#"string.find("abc", "%ba")"#,
    r#"string.find("abc", "%f")"#,
    r#"string.find("abc", "%fa")"#,
    r#"string.find(nil, "a")"#,
    r#"string.find("a", nil)"#,
    r#"string.find("a", "a", "x")"#,
    r#"string.find("a", "a", 1.5)"#,
    r#"string.find(("x"):rep(300), ("(x)"):rep(33))"#,
    r#"string.find(("a"):rep(300), ("a?"):rep(300) .. ("a"):rep(300))"#,
    // match: captures, classes, anchors, frontier, balance
    r#"string.match("key = value", "(%w+)%s*=%s*(%w+)")"#,
    r#"string.match("hello", ".-")"#,
    r#"string.match("hello", ".-$")"#,
    r#"string.match("hello", "l+")"#,
    r#"string.match("hello", "l*")"#,
    r#"string.match("hello", "x*")"#,
    r#"string.match("hello", "x?h")"#,
    r#"string.match("hello", "h?e")"#,
    r#"string.match("hello", "()")"#,
    r#"string.match("hello", "()", 3)"#,
    r#"string.match("hello", "(h)(e)(l)(l)(o)")"#,
    r#"string.match("hello", "((h)(e))")"#,
    r#"string.match("hello", "(()h())")"#,
    r#"string.match("f(a(b)c)d", "%b()")"#,
    r#"string.match("f(a(b)c", "%b()")"#,
    r#"string.match("[[x]]", "%b[]")"#,
    r#"string.match("THE (quick) fox", "%f[%a]%a+")"#,
    r#"string.match("THE (quick) fox", "%f[%l]%a+")"#,
    r#"string.match("abc", "%f[%z]")"#,
    r#"string.match("abc", "()%f[%z]")"#,
    r#"string.match("hello hello", "(h%a+) %1")"#,
    r#"string.match("hello hellx", "(h%a+) %1")"#,
    r#"string.match("a$b", "a$b")"#,
    r#"string.match("ab", "b$")"#,
    r#"string.match("ab", "^b")"#,
    r#"string.match("^b", "^^b")"#,
    r#"string.match("x]y", "[]]")"#,
    r#"string.match("x]y", "[^]]+")"#,
    r#"string.match("a-b", "[a%-]+")"#,
    r#"string.match("a-b", "[-a]+")"#,
    r#"string.match("a-b", "[a-]+")"#,
    r#"string.match("09az_AZ", "[%w_]+")"#,
    r#"string.match("\t\v\f\r\n x", "%s+")"#,
    r#"string.match("\1\31\127 ", "%c+")"#,
    r#"string.match("!@#abc", "%p+")"#,
    r#"string.match("ABCdef", "%u+")"#,
    r#"string.match("ABCdef", "%U+")"#,
    r#"string.match("deadBEEFxyz", "%x+")"#,
    r#"string.match("a b", "%S+ %S+")"#,
    r#"string.match("\200\201abc", "[\128-\255]+")"#,
    r#"string.match("\200\201abc", "%A+")"#,
    r#"string.match("a.b", "%a%.%a")"#,
    r#"string.match("abc", "%g+")"#,
    r#"string.match("abc", "[%a-z]")"#,
    r#"string.match("-", "[%a-]")"#,
    r#"string.match("abc", "[^%a]")"#,
    r#"string.match("abc", "(a)(b", 1)"#,
    r#"string.match("abc", "a)")"#,
    r#"string.match("abc", "[")"#,
    r#"string.match("abc", "[^")"#,
    r#"string.match("abc", "[%")"#,
    r#"string.match("abc", "%g", 10)"#,
    r#"string.match("abc", ".", -1)"#,
    r#"string.match("abc", "%Z")"#,
    r#"string.match("abc", "%q")"#,
    r#"string.match(("a"):rep(10), ("(a)"):rep(10))"#,
    r#"string.match("x", string.rep("(", 200) .. "x" .. string.rep(")", 200))"#,
    r#"string.match(("a"):rep(250), ("a?"):rep(250))"#,
    // gmatch
    r#"G("one two  three", "%a+")"#,
    r#"G("k1=v1, k2=v2", "(%w+)=(%w+)")"#,
    r#"G("abc", "")"#,
    r#"G("abc", "()")"#,
    r#"G("abc", "a*")"#,
    r#"G("aXbXc", "[^X]*")"#,
    r#"G("hello", "l", 4)"#,
    r#"G("hello", "l", -2)"#,
    r#"G("hello", "l", 100)"#,
    r#"G("^a^a", "^a")"#,
    r#"G("abc", "%")"#,
    r#"G("abc", "(")"#,
    r#"G(nil, "a")"#,
    r#"G(123123, 2)"#,
    // gsub
    r#"string.gsub("hello world", "o", "0")"#,
    r#"string.gsub("hello world", "o", "0", 1)"#,
    r#"string.gsub("hello world", "o", "0", 0)"#,
    r#"string.gsub("hello world", "o", "0", -1)"#,
    r#"string.gsub("hello", "", "-")"#,
    r#"string.gsub("hello", "x*", "-")"#,
    r#"string.gsub("abc", "%w", "%0%0")"#,
    r#"string.gsub("abc", "%w", "%1")"#,
    r#"string.gsub("abc", "(%w)", "%1-")"#,
    r#"string.gsub("abc", "%w", "%2")"#,
    r#"string.gsub("abc", "(%w)", "%2")"#,
    r#"string.gsub("abc", "%w", "%%")"#,
    r#"string.gsub("abc", "%w", "%x")"#,
    r#"string.gsub("abc", "%w", "x%")"#,
    r#"string.gsub("abc", "()b", "%1")"#,
    r#"string.gsub("abc", "b", 5)"#,
    r#"string.gsub("abc", "b", 5.5)"#,
    r#"string.gsub("abc", "%w", {a = 1, b = true})"#,
    r#"string.gsub("abc", "%w", {a = "A", b = false})"#,
    r#"string.gsub("abc", "%w", {a = {}})"#,
    r#"string.gsub("abc", "(%w)(%w)", function(a, b) return b .. a end)"#,
    r#"string.gsub("abc", "%w", function() end)"#,
    r#"string.gsub("abc", "%w", function(c) return c == "b" and 7 end)"#,
    r#"string.gsub("abc", "%w", function() return {} end)"#,
    r#"string.gsub("abc", "%w", function() error("boom") end)"#,
    r#"string.gsub("abc", "()%w()", function(a, b) return a * 10 + b end)"#,
    r#"string.gsub("abc", "%w")"#,
    r#"string.gsub("abc", "%w", true)"#,
    r#"string.gsub("aaa", "^a", "b")"#,
    r#"string.gsub("aaa", "^", "b")"#,
    r#"string.gsub("aaa", "$", "b")"#,
    r#"string.gsub("hello world", "%f[%w]%w+", string.upper)"#,
    r#"string.gsub("f(x) g(y)", "%b()", "[]")"#,
    r#"string.gsub("abc", "(", "x")"#,
    r#"string.gsub("abc\0def", "%z", "0")"#,
    r#"string.gsub("abc", ".", {}, 2)"#,
    r#"string.gsub("abc", ".", "x", 2.0)"#,
    r#"string.gsub("abc", ".", "x", "1")"#,
    r#"string.gsub("abc", ".", "x", 1.5)"#,
    r#"string.gsub(123, 2, 9)"#,
    r#"string.gsub("  trim  ", "^%s*(.-)%s*$", "%1")"#,
    r#"string.gsub("x = 1, y = 2", "(%w+) = (%w+)", "%2 = %1")"#,
    r#"("abc"):gsub("b", "B")"#,
    r#"("abc"):find("b")"#,
    r#"("abc"):match("(b)")"#,
];

const HARNESS: &str = r#"
local corpus = ...
local function G(...)
  local out = {}
  local it = string.gmatch(...)
  for _ = 1, 50 do
    local r = table.pack(it())
    if r[1] == nil then break end
    out[#out + 1] = table.concat((function()
      local t = {}
      for i = 1, r.n do t[i] = math.type(r[i]) or type(r[i]) .. ":" .. tostring(r[i]) end
      for i = 1, r.n do t[i] = t[i] .. "=" .. tostring(r[i]) end
      return t
    end)(), ",")
  end
  return table.concat(out, ";")
end
local lines = {}
for i, expr in ipairs(corpus) do
  local f = assert(load("local G = ...; return " .. expr, "=case", "t"))
  local r = table.pack(pcall(f, G))
  local parts = {}
  for j = 1, r.n do
    local v = r[j]
    parts[j] = (math.type(v) or type(v)) .. ":" .. tostring(v)
  end
  lines[i] = expr .. "  =>  " .. table.concat(parts, " | ")
end
return lines
"#;

/// One line per case, as bytes (results may hold any byte), shown with escapes.
fn run(lua: &Lua) -> Vec<String> {
    let corpus: Table = lua.create_sequence_from(CORPUS.iter().copied()).expect("corpus");
    let out: Vec<mlua::LuaString> = lua.load(HARNESS).call(corpus).expect("harness runs");
    out.iter().map(|s| s.as_bytes().escape_ascii().to_string()).collect()
}

#[test]
fn the_port_behaves_exactly_like_lua_on_the_corpus() {
    let real = Lua::new();
    let ported = Lua::new();
    let string: Table = ported.globals().get("string").expect("string library");
    super::install(&ported, &string).expect("install");
    // The ported functions really are in place (a light C function, not the library's own).
    let before: mlua::Function = real.globals().get::<Table>("string").unwrap().get("find").unwrap();
    let after: mlua::Function = string.get("find").unwrap();
    assert_ne!(format!("{:?}", before.to_pointer()), format!("{:?}", after.to_pointer()));
    let (want, got) = (run(&real), run(&ported));
    assert_eq!(want.len(), CORPUS.len());
    let diffs: Vec<String> =
        want.iter().zip(&got).filter(|(w, g)| w != g).map(|(w, g)| format!("lua:  {w}\nport: {g}")).collect();
    assert!(diffs.is_empty(), "{} of {} cases differ:\n{}", diffs.len(), CORPUS.len(), diffs.join("\n"));
}

#[test]
fn catastrophic_backtracking_still_terminates_outside_a_process() {
    // Outside a process there is no hard limit: the matcher is just Lua's (a small case).
    let lua = Lua::new();
    let string: Table = lua.globals().get("string").unwrap();
    super::install(&lua, &string).unwrap();
    let r: Option<i64> = lua.load(r#"return (string.rep("a", 60):find(".-.-.-b"))"#).eval().unwrap();
    assert_eq!(r, None);
}
