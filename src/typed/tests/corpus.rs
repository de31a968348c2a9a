//! The erasure corpus: typed snippets and the exact plain Lua each must become. `positions` runs
//! its property check over the same inputs.

use std::path::Path;

use crate::typed::compile;

pub(super) struct Case {
    pub name: &'static str,
    /// The guarantee the case pins down.
    pub why: &'static str,
    /// Lines, joined with `\n`.
    pub input: &'static [&'static str],
    pub expected: &'static [&'static str],
}

pub(super) const CASES: &[Case] = &[
    Case {
        name: "annotated_local",
        why: "a local's annotation is blanked, the value stays",
        input: &["local x: number = 1"],
        expected: &["local x         = 1"],
    },
    Case {
        name: "several_annotated_locals",
        why: "each name's annotation is blanked",
        input: &["local a: string, b, c: {number} = \"s\", 1, {}"],
        expected: &["local a        , b, c           = \"s\", 1, {}"],
    },
    Case {
        name: "optional_union_intersection_literal_types",
        why: "type operators are blanked with their type",
        input: &[
            "local a: number? = nil",
            "local b: number | string = 1",
            "local c: A & B = v",
            "local d: \"pending\" | \"done\" = \"done\"",
            "local e: true = true",
        ],
        expected: &[
            "local a          = nil",
            "local b                  = 1",
            "local c        = v",
            "local d                     = \"done\"",
            "local e       = true",
        ],
    },
    Case {
        name: "table_types",
        why: "array, map and record types",
        input: &[
            "local xs: {number} = {}",
            "local m: {[string]: number} = {}",
            "local r: {name: string, port: number?} = {name = \"a\"}",
        ],
        expected: &[
            "local xs           = {}",
            "local m                     = {}",
            "local r                                = {name = \"a\"}",
        ],
    },
    Case {
        name: "function_type",
        why: "a function type with its arrow",
        input: &["local f: (number, string) -> boolean = function(a, b) return true end"],
        expected: &["local f                              = function(a, b) return true end"],
    },
    Case {
        name: "parameters_varargs_and_tuple_return",
        why: "`: T` on params and `...`, and a parenthesised return tuple",
        input: &["local function g(a: string, ...: number): (string?, error?)", "  return a, nil", "end"],
        expected: &["local function g(a        , ...        )                   ", "  return a, nil", "end"],
    },
    Case {
        name: "method_definition",
        why: "a method's colon is Lua, the annotations are not",
        input: &["function M:f(x: number): string return tostring(x) end", "local s = obj:f(1)"],
        expected: &["function M:f(x        )         return tostring(x) end", "local s = obj:f(1)"],
    },
    Case {
        name: "generic_function",
        why: "generic list, parameter and return types",
        input: &["function id<T>(x: T): T return x end"],
        expected: &["function id   (x   )    return x end"],
    },
    Case {
        name: "generic_local_and_anonymous_functions",
        why: "generic lists on every kind of function",
        input: &[
            "local function first<T>(xs: {T}): T? return xs[1] end",
            "local pair = function<A, B>(a: A, b: B) return a, b end",
            "function M.map<K, V>(t: {[K]: V}) end",
        ],
        expected: &[
            "local function first   (xs     )     return xs[1] end",
            "local pair = function      (a   , b   ) return a, b end",
            "function M.map      (t          ) end",
        ],
    },
    Case {
        name: "constrained_generics",
        why: "constraints are erased with the list",
        input: &[
            "function name<T: HasName, U>(x: T, u: U): string return x.name end",
            "type Named<T: HasName> = {item: T}",
        ],
        expected: &[
            "function name               (x   , u   )         return x.name end",
            "                                  ",
        ],
    },
    Case {
        name: "type_declaration_over_lines",
        why: "a whole `type` statement goes, its comments too; lines stay",
        input: &[
            "type User = {",
            "  name: string, -- the user's name",
            "  age: number?,",
            "}",
            "local u: User = {name = \"a\"}",
        ],
        expected: &[
            "             ",
            "                                  ",
            "               ",
            " ",
            "local u       = {name = \"a\"}",
        ],
    },
    Case {
        name: "export_type_with_generics",
        why: "`export type` goes whole",
        input: &[
            "export type Pair<A, B> = {first: A, second: B}",
            "export type Result<T, E = string> = {ok: true, value: T} | {ok: false, error: E}",
            "return {}",
        ],
        expected: &[
            "                                              ",
            "                                                                                ",
            "return {}",
        ],
    },
    Case {
        name: "casts",
        why: "`:: T` goes, the value stays, inside parentheses too",
        input: &[
            "local y = (x :: any).field",
            "local n = tonumber(s) :: number",
            "local f = g :: (number) -> string",
            "if (v :: number) > 1 then end",
        ],
        expected: &[
            "local y = (x       ).field",
            "local n = tonumber(s)          ",
            "local f = g                      ",
            "if (v          ) > 1 then end",
        ],
    },
    Case {
        name: "cast_before_a_parenthesis_line",
        why: "a `;` keeps the next line from becoming a call",
        input: &["local z = x :: number", "(f)()"],
        expected: &["local z = x ;        ", "(f)()"],
    },
    Case {
        name: "type_declaration_before_a_parenthesis_line",
        why: "a `;` keeps `b` and `(f)` apart",
        input: &["local a = b", "type X = number", "(f)()"],
        expected: &["local a = b", ";              ", "(f)()"],
    },
    Case {
        name: "as_cast",
        why: "`as` casts go like `::`",
        input: &[
            "local u = data as User",
            "local n = f(x) as number",
            "local s = t[1] as \"a\" | \"b\"",
            "local g = h as (number) -> string",
        ],
        expected: &[
            "local u = data        ",
            "local n = f(x)          ",
            "local s = t[1]             ",
            "local g = h                      ",
        ],
    },
    Case {
        name: "non_nil_assertion",
        why: "postfix `!` goes",
        input: &["local n = user!.name", "local m = (user!).name", "local k = f()!:key()"],
        expected: &["local n = user .name", "local m = (user ).name", "local k = f() :key()"],
    },
    Case {
        name: "array_suffix",
        why: "`T[]` goes with its type",
        input: &[
            "local xs: number[] = {}",
            "type Grid = {cells: string[][]}",
            "local function all(): User[] return {} end",
        ],
        expected: &[
            "local xs           = {}",
            "                               ",
            "local function all()         return {} end",
        ],
    },
    Case {
        name: "validators",
        why: "validators go with their type",
        input: &[
            "local n: number @min(0) @max(100) = 5",
            "type Name = string @min_len(1) @pattern(\"^[a-z]+$\")",
            "type P = {port: number @min(1), tags: {string @min_len(1)}}",
        ],
        expected: &[
            "local n                           = 5",
            "                                                   ",
            "                                                           ",
        ],
    },
    Case {
        name: "readonly",
        why: "`readonly` goes with its type",
        input: &["local p: readonly {x: number} = {x = 1}", "type Point = {readonly x: number, readonly y: number}"],
        expected: &["local p                       = {x = 1}", "                                                     "],
    },
    Case {
        name: "for_loop_variables",
        why: "`for` variables are locals too",
        input: &["for i: number = 1, 10 do end", "for k: string, v: any in pairs(t) do end"],
        expected: &["for i         = 1, 10 do end", "for k        , v      in pairs(t) do end"],
    },
    Case {
        name: "strings_and_comments_keep_colons",
        why: "`:` and `::` inside strings and comments are text",
        input: &[
            "local s = \"a :: b: c\" -- x: number :: y",
            "local t = [[ type X = 1 ]] --[==[ local y: T ]==]",
            "local u = 'x as T' .. \"t[]\" .. 'a!'",
        ],
        expected: &[
            "local s = \"a :: b: c\" -- x: number :: y",
            "local t = [[ type X = 1 ]] --[==[ local y: T ]==]",
            "local u = 'x as T' .. \"t[]\" .. 'a!'",
        ],
    },
    Case {
        name: "type_as_a_plain_name",
        why: "`type` is still a variable and a function",
        input: &[
            "local type = 1",
            "print(type(x))",
            "t.type = \"a\"",
            "local r = {type = \"b\"}",
            "if type(v) == \"table\" then end",
        ],
        expected: &[
            "local type = 1",
            "print(type(x))",
            "t.type = \"a\"",
            "local r = {type = \"b\"}",
            "if type(v) == \"table\" then end",
        ],
    },
    Case {
        name: "as_and_readonly_as_plain_names",
        why: "`as` and `readonly` are still names where no type can be",
        input: &[
            "local as = 1",
            "as.x = as",
            "local a = b as(1)",
            "obj:as(x)",
            "local readonly = true",
            "local t = readonly {1}",
            "f(readonly {x = 1})",
        ],
        expected: &[
            "local as = 1",
            "as.x = as",
            "local a = b as(1)",
            "obj:as(x)",
            "local readonly = true",
            "local t = readonly {1}",
            "f(readonly {x = 1})",
        ],
    },
    Case {
        name: "lua54_syntax_untouched",
        why: "Lua 5.4 attributes, labels, goto, bitwise and integer division stay",
        input: &[
            "local x <const>, y <close> = 1, nil",
            "for i = 1, 3 do",
            "  if i // 2 == 1 then goto continue end",
            "  local b = i & 1 | 2 ~ 3 << 1 >> 1",
            "  ::continue::",
            "end",
        ],
        expected: &[
            "local x <const>, y <close> = 1, nil",
            "for i = 1, 3 do",
            "  if i // 2 == 1 then goto continue end",
            "  local b = i & 1 | 2 ~ 3 << 1 >> 1",
            "  ::continue::",
            "end",
        ],
    },
    Case {
        name: "non_ascii_near_types",
        why: "columns count characters: a multi-byte character inside a type shifts nothing",
        input: &["local s: \"é\" | \"ü\" = \"é\" -- ü: T", "local m = x :: \"ß\" local k = 1"],
        expected: &["local s            = \"é\" -- ü: T", "local m = x        local k = 1"],
    },
    Case {
        name: "crlf_line_endings",
        why: "`\\r\\n` stays",
        input: &["type A = {\r", "  a: number,\r", "}\r", "local x: A = {a = 1}\r", ""],
        expected: &["          \r", "            \r", " \r", "local x    = {a = 1}\r", ""],
    },
    Case {
        name: "shebang_line",
        why: "a shebang line is blanked: Lua's `load` rejects it",
        input: &["#!/usr/bin/env wippy", "local x: number = 1"],
        expected: &["                    ", "local x         = 1"],
    },
    Case {
        name: "plain_lua_untouched",
        why: "code without types comes out byte for byte",
        input: &[
            "local M = {}",
            "function M.new(name)",
            "  return setmetatable({name = name}, {__index = M})",
            "end",
            "return M",
            "",
        ],
        expected: &[
            "local M = {}",
            "function M.new(name)",
            "  return setmetatable({name = name}, {__index = M})",
            "end",
            "return M",
            "",
        ],
    },
    Case {
        name: "plain_lua_that_looks_typed",
        why: "a wrong guess is undone, a right one kept: `as{1}` and `readonly{1}` are calls here",
        input: &["local a = b as {1}", "local t = readonly {1}", "local u = x as User"],
        expected: &["local a = b as {1}", "local t = readonly {1}", "local u = x        "],
    },
    Case {
        name: "labels_after_expressions",
        why: "`::name::` after an expression is a label, not a cast",
        input: &[
            "x = y",
            "::continue::",
            "local z = w :: T ::done::",
            "pcall(function() n = n + 1 ::again:: end)",
            "function f(): T ::top:: end",
            "local t = {a = 1} ::after::",
        ],
        expected: &[
            "x = y",
            "::continue::",
            "local z = w      ::done::",
            "pcall(function() n = n + 1 ::again:: end)",
            "function f()    ::top:: end",
            "local t = {a = 1} ::after::",
        ],
    },
    Case {
        name: "type_declaration_inside_a_block",
        why: "a `type` statement is erased wherever it is, with its `;`",
        input: &["local function f() type X = number; return 1 end"],
        expected: &["local function f()                  return 1 end"],
    },
    Case {
        name: "semicolon_only_where_an_expression_comes_before",
        why: "no `;` at a block start, after a `;`, or for a declaration after a blanked one",
        input: &[
            "do type X = A",
            "(f)() end",
            "do x = 1; type Y = B",
            "(f)() end",
            "do type P = C",
            "type Q = D",
            "(f)() end",
            "do local a = b",
            "type R = E",
            "type S = F",
            "(f)() end",
        ],
        expected: &[
            "do           ",
            "(f)() end",
            "do x = 1;           ",
            "(f)() end",
            "do           ",
            "          ",
            "(f)() end",
            "do local a = b",
            "          ",
            ";         ",
            "(f)() end",
        ],
    },
    Case {
        name: "numeric_literal_types",
        why: "numeric literal types, negative ones too, are erased; `|` between numbers in code stays",
        input: &["type Code = 200 | 404", "local c: -1 | 0 = 0", "local m = 1 | 2"],
        expected: &["                     ", "local c         = 0", "local m = 1 | 2"],
    },
    Case {
        name: "annotation_after_an_attribute",
        why: "`<const>`/`<close>` stay, the annotation on either side of them goes",
        input: &["local a <const>: number, b: string <close> = 1, nil"],
        expected: &["local a <const>        , b         <close> = 1, nil"],
    },
];

#[test]
fn every_case_erases_to_exactly_its_expected_lua() {
    let mut failures = Vec::new();
    for case in CASES {
        let input = case.input.join("\n");
        let expected = case.expected.join("\n");
        match compile(&input, Path::new("case.lua")) {
            Ok(compiled) if compiled.lua == expected => {}
            Ok(compiled) => failures.push(format!(
                "{} ({}):\n  expected: {expected:?}\n       got: {:?}",
                case.name, case.why, compiled.lua
            )),
            Err(diagnostics) => failures.push(format!("{} ({}): failed:\n{diagnostics}", case.name, case.why)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
