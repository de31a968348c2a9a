//! Syntax-error snapshots: sources that must fail, with their exact rendered diagnostics (the
//! `Display` of `Diagnostics`, as logs and `wippy check` show them). Every case is checked, and all
//! differences are shown at once.

use std::path::Path;

use crate::typed::compile;

struct Case {
    name: &'static str,
    /// Lines, joined with `\n`.
    input: &'static [&'static str],
    /// Lines, joined with `\n`.
    rendered: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "missing_expression_is_reported_at_the_next_token",
        input: &["local x = )"],
        rendered: &["src/app.lua:1:11: error[P0001]: unexpected `)`, expected an expression"],
    },
    Case {
        name: "every_error_is_reported_one_per_place",
        input: &[
            "local a = )",
            "local b = 2",
            "local c = ]",
        ],
        rendered: &[
            "src/app.lua:1:11: error[P0001]: unexpected `)`, expected an expression",
            "src/app.lua:3:11: error[P0001]: unexpected `]`, expected an expression",
        ],
    },
    Case {
        name: "unmatched_parenthesis_is_reported_at_the_opener",
        input: &[
            "print(\"a\"",
            "  \"b\")",
        ],
        rendered: &[
            "src/app.lua:1:6: error[P0001]: unmatched `(`, expected `)` to close function call",
            "  help: add the missing `)`, or the `,` missing between two values before it",
            "src/app.lua:2:6: error[P0001]: unexpected `)`, expected a statement",
            "  help: a statement is a declaration (`local x = 1`), an assignment, a function call or a keyword like `if` or `return`",
        ],
    },
    Case {
        name: "missing_end_at_end_of_file",
        input: &[
            "function f()",
            "  return 1",
        ],
        rendered: &[
            "src/app.lua:2:11: error[P0001]: unexpected end of file, expected `end` to close function body block",
            "  help: each `function`, `if`, `for`, `while` and `do` needs its own `end`",
        ],
    },
    Case {
        name: "missing_then",
        input: &["if x print(1) end"],
        rendered: &[
            "src/app.lua:1:6: error[P0001]: unexpected `print`, expected `then` after condition",
            "  help: an `if` condition is followed by `then`: `if ok then ... end`",
            "src/app.lua:1:15: error[P0001]: unexpected `end`, expected a statement",
            "  help: a statement is a declaration (`local x = 1`), an assignment, a function call or a keyword like `if` or `return`",
        ],
    },
    Case {
        name: "unfinished_string",
        input: &[
            "local s = \"abc",
            "print(s)",
        ],
        rendered: &[
            "src/app.lua:1:11: error[P0001]: unfinished string",
            "  help: a quoted string ends with the same quote on the same line; use `[[...]]` for text over several lines",
        ],
    },
    Case {
        name: "not_equal_written_as_bang_equal",
        input: &["if a != b then end"],
        rendered: &[
            "src/app.lua:1:6: error[P0001]: unexpected character `!`",
            "  help: Lua writes 'not equal' as `~=` and negation as `not x`",
            "src/app.lua:1:7: error[P0001]: unexpected `=`, expected a statement",
            "  help: a statement is a declaration (`local x = 1`), an assignment, a function call or a keyword like `if` or `return`",
            "src/app.lua:1:11: error[P0001]: unexpected `then`, expected a statement",
            "  help: a value on its own is not a statement: assign it (`x = ...`) or call a function",
        ],
    },
    Case {
        name: "missing_type_after_colon",
        input: &["local x: = 1"],
        rendered: &["src/app.lua:1:10: error[P0001]: unexpected `=`, expected type info after `:`"],
    },
    Case {
        name: "type_syntax_full_moon_drops_silently",
        input: &[
            "local a = 1",
            "f(x :: )",
        ],
        rendered: &[
            "src/app.lua:2:3: error[P0001]: incomplete type syntax near `x`",
            "  help: a type is missing, e.g. after `:`, `::`, `=`, `->` or `|`",
        ],
    },
    Case {
        name: "incomplete_type_declaration_at_end_of_file",
        input: &[
            "local a = 1",
            "type F = (number) ->",
        ],
        rendered: &[
            "src/app.lua:2:1: error[P0001]: incomplete type syntax near `type`",
            "  help: a type is missing, e.g. after `:`, `::`, `=`, `->` or `|`",
        ],
    },
    Case {
        name: "array_suffix_outside_a_type",
        input: &[
            "local t = {}",
            "t[] = 1",
        ],
        rendered: &[
            "src/app.lua:2:2: error[P0001]: unexpected `[]` outside a type",
            "  help: `T[]` is an array type and only goes in annotations; to index a table write `t[key]`",
        ],
    },
    Case {
        name: "validator_outside_a_type",
        input: &["local n = 5 @min(0)"],
        rendered: &[
            "src/app.lua:1:13: error[P0001]: validator `@min(0)` outside a type",
            "  help: validators follow a type in an annotation: `local n: number @min(0) = 1`",
        ],
    },
    Case {
        name: "luau_attribute",
        input: &["@native function f() end"],
        rendered: &[
            "src/app.lua:1:1: error[P0001]: attributes like `@native` are not Lua 5.4",
            "  help: remove the attribute",
        ],
    },
    Case {
        name: "luau_compound_assignment",
        input: &[
            "local n = 1",
            "n += 1",
        ],
        rendered: &[
            "src/app.lua:2:3: error[P0001]: compound assignment `+=` is not Lua 5.4",
            "  help: write the assignment in full, e.g. `n = n + 1`",
        ],
    },
    Case {
        name: "luau_continue",
        input: &[
            "for i = 1, 3 do",
            "  if i == 2 then continue end",
            "end",
        ],
        rendered: &[
            "src/app.lua:2:18: error[P0001]: `continue` is not Lua 5.4",
            "  help: jump to a label at the end of the loop body: `goto continue` ... `::continue::`",
        ],
    },
    Case {
        name: "luau_backtick_string_and_number_separators",
        input: &[
            "local s = `hi {name}`",
            "local n = 1_000",
        ],
        rendered: &[
            "src/app.lua:1:11: error[P0001]: backtick strings are not Lua 5.4",
            "  help: use `string.format(\"%s\", x)` or join the parts with `..`",
            "src/app.lua:2:11: error[P0001]: number `1_000` is not Lua 5.4",
            "  help: write the digits without `_`; for bit patterns use hexadecimal `0x`",
        ],
    },
    Case {
        name: "luau_if_expression",
        input: &["local x = if a then b else c"],
        rendered: &[
            "src/app.lua:1:11: error[P0001]: `if` expressions are not Lua 5.4",
            "  help: use an `if` statement, or `cond and a or b` when `a` is never false or nil",
        ],
    },
    Case {
        name: "luau_const",
        input: &["const limit = 10"],
        rendered: &[
            "src/app.lua:1:1: error[P0001]: `const` declarations are not Lua 5.4",
            "  help: write `local name <const> = value`",
        ],
    },
    Case {
        name: "statement_after_return",
        input: &[
            "return 1",
            "print(2)",
        ],
        rendered: &[
            "src/app.lua:2:1: error[P0001]: unexpected statement after last statement",
            "  help: `return` and `break` end their block; to return early write `do return end`",
        ],
    },
    Case {
        name: "missing_field_separator",
        input: &[
            "local t = {",
            "  a = 1",
            "  b = 2",
            "}",
        ],
        rendered: &[
            "src/app.lua:3:3: error[P0001]: unexpected `b`, expected `}` after last field",
            "  help: separate table fields with `,` or `;`",
            "src/app.lua:4:1: error[P0001]: unexpected `}`, expected a statement",
            "  help: a statement is a declaration (`local x = 1`), an assignment, a function call or a keyword like `if` or `return`",
        ],
    },
    Case {
        name: "columns_count_characters_after_non_ascii",
        input: &["local s = \"héllo\" local x = )"],
        rendered: &["src/app.lua:1:29: error[P0001]: unexpected `)`, expected an expression"],
    },
    Case {
        name: "positions_after_a_rewritten_cast_stay",
        input: &["local u = data as User local x = )"],
        rendered: &["src/app.lua:1:34: error[P0001]: unexpected `)`, expected an expression"],
    },
    Case {
        name: "non_ascii_name",
        input: &["local é = 1"],
        rendered: &[
            "src/app.lua:1:7: error[P0001]: unexpected character `é`",
            "  help: names are ASCII letters, digits and `_`; other characters go in strings and comments",
            "src/app.lua:1:9: error[P0001]: unexpected `=`, expected a statement",
            "  help: a statement is a declaration (`local x = 1`), an assignment, a function call or a keyword like `if` or `return`",
        ],
    },
];

#[test]
fn every_case_fails_with_exactly_its_rendered_diagnostics() {
    let mut failures = Vec::new();
    for case in CASES {
        let input = case.input.join("\n");
        let expected = case.rendered.join("\n");
        match compile(&input, Path::new("src/app.lua")) {
            Err(diagnostics) if diagnostics.to_string() == expected => {
                assert!(diagnostics.0.iter().all(|d| d.code == "P0001" && d.is_error()), "{}", case.name);
            }
            Err(diagnostics) => {
                failures.push(format!("{}:\n--- expected\n{expected}\n--- got\n{diagnostics}", case.name))
            }
            Ok(compiled) => failures.push(format!("{}: compiled instead of failing:\n{}", case.name, compiled.lua)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
