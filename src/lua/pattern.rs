//! Lua 5.4's pattern matching (`string.find`, `string.match`, `string.gmatch`, `string.gsub`),
//! ported from lstrlib.c (Lua 5.4.9) so that it is subject to the process's hard limit: Lua's own
//! matcher runs in C, where no hook fires, and a pattern that backtracks catastrophically
//! (`string.rep("a", 40000):find(".-.-.-.-b")`) would hold its worker without limit.
//!
//! The port keeps lstrlib's structure, results and error messages exactly (a unit test compares it
//! with the real functions on a corpus). One addition: a `Clock` counts the matcher's steps (each
//! `match` call, each character scanned by an expansion, a balance, a back-reference or a plain
//! search) and every `CHECK_EVERY` steps asks `preempt::over_hard_limit` whether the resume has run
//! past the host's hard limit; if so the call raises the hard-limit error and the process is doomed
//! (preempt.rs, step 5). The time slice cannot apply here: a C function cannot yield mid-match.
//!
//! # Safety
//! The C functions only call the Lua C API on the state they were called with. Errors leave them by
//! `longjmp`: the matcher itself returns `Fail` and raises only from the C function's own frame,
//! and no frame alive across a raising call holds a value with a destructor (`MatchState`, `Clock`
//! and `luaL_Buffer` are plain data). The subject and pattern slices borrow strings that stay on
//! the Lua stack (arguments 1 and 2, or the `gmatch` closure's upvalues) for the whole call.

use std::ffi::{c_char, c_int, CStr};

use mlua::ffi::{self, lua_Integer, lua_State};

const CAP_UNFINISHED: isize = -1;
const CAP_POSITION: isize = -2;
const MAXCAPTURES: usize = 32;
/// lstrlib's `MAXCCALLS`: the matcher's recursion depth.
const MAXCCALLS: c_int = 200;
const L_ESC: u8 = b'%';
const SPECIALS: &[u8] = b"^$*+?.([%-";
/// Steps between two looks at the clock (an `Instant::now()` is ~25 ns; a step a few ns).
const CHECK_EVERY: u64 = 4096;

unsafe extern "C-unwind" {
    // In the vendored Lua's lauxlib, not declared by mlua-sys.
    fn luaL_typeerror(l: *mut lua_State, arg: c_int, tname: *const c_char) -> c_int;
}

/// Why a match stopped with an error (raised by the C function as lstrlib would).
enum Fail {
    Msg(&'static CStr),
    /// "invalid capture index %N"
    CaptureIndex(c_int),
}

type R<T> = Result<T, Fail>;

/// Raises `f` as a Lua error. Never returns.
unsafe fn raise(l: *mut lua_State, f: Fail) -> c_int {
    // SAFETY: `l` is the running state of a C function; see the module note.
    unsafe {
        match f {
            Fail::Msg(m) => ffi::luaL_error(l, c"%s".as_ptr(), m.as_ptr()),
            Fail::CaptureIndex(n) => ffi::luaL_error(l, c"invalid capture index %%%d".as_ptr(), n),
        }
    }
}

/// Counts steps and checks the hard limit every `CHECK_EVERY` of them.
struct Clock {
    steps: u64,
    next: u64,
}

impl Clock {
    fn new() -> Clock {
        Clock { steps: 0, next: CHECK_EVERY }
    }

    #[inline]
    fn tick(&mut self, n: u64) -> R<()> {
        self.steps += n;
        if self.steps < self.next {
            return Ok(());
        }
        self.next = self.steps + CHECK_EVERY;
        match super::preempt::over_hard_limit() {
            Some(msg) => Err(Fail::Msg(msg)),
            None => Ok(()),
        }
    }
}

#[derive(Clone, Copy)]
struct Capture {
    init: usize,
    len: isize,
}

struct MatchState<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    matchdepth: c_int,
    level: usize,
    capture: [Capture; MAXCAPTURES],
    clock: Clock,
}

/// The C library's character classes in the "C" locale.
fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        // Deprecated, but still in Lua 5.4.
        b'z' => c == 0,
        _ => return cl == c,
    };
    if cl.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

impl<'a> MatchState<'a> {
    fn new(src: &'a [u8], pat: &'a [u8]) -> MatchState<'a> {
        MatchState {
            src,
            pat,
            matchdepth: MAXCCALLS,
            level: 0,
            capture: [Capture { init: 0, len: 0 }; MAXCAPTURES],
            clock: Clock::new(),
        }
    }

    fn reprep(&mut self) {
        self.matchdepth = MAXCCALLS;
        self.level = 0;
    }

    /// The pattern byte at `i`; the terminating NUL at the end, as C reads it.
    #[inline]
    fn pc(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    /// The subject byte at `i`; the terminating NUL at the end.
    #[inline]
    fn sc(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    fn check_capture(&self, l: u8) -> R<usize> {
        let l = l as c_int - b'1' as c_int;
        if l < 0 || l as usize >= self.level || self.capture[l as usize].len == CAP_UNFINISHED {
            return Err(Fail::CaptureIndex(l + 1));
        }
        Ok(l as usize)
    }

    fn capture_to_close(&self) -> R<usize> {
        (0..self.level)
            .rev()
            .find(|&l| self.capture[l].len == CAP_UNFINISHED)
            .ok_or(Fail::Msg(c"invalid pattern capture"))
    }

    fn class_end(&self, mut p: usize) -> R<usize> {
        let c = self.pc(p);
        p += 1;
        match c {
            L_ESC => {
                if p == self.pat.len() {
                    return Err(Fail::Msg(c"malformed pattern (ends with '%')"));
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.pc(p) == b'^' {
                    p += 1;
                }
                loop {
                    if p == self.pat.len() {
                        return Err(Fail::Msg(c"malformed pattern (missing ']')"));
                    }
                    let c = self.pc(p);
                    p += 1;
                    if c == L_ESC && p < self.pat.len() {
                        p += 1;
                    }
                    if self.pc(p) == b']' {
                        break;
                    }
                }
                Ok(p + 1)
            }
            _ => Ok(p),
        }
    }

    /// `[...]` starting at `p`, whose `]` is at `ec`.
    fn match_bracket_class(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.pc(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                break;
            }
            if self.pc(p) == L_ESC {
                p += 1;
                if match_class(c, self.pc(p)) {
                    return sig;
                }
            } else if self.pc(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if self.pc(p - 2) <= c && c <= self.pc(p) {
                    return sig;
                }
            } else if self.pc(p) == c {
                return sig;
            }
        }
        !sig
    }

    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        if s >= self.src.len() {
            return false;
        }
        let c = self.src[s];
        match self.pc(p) {
            b'.' => true,
            L_ESC => match_class(c, self.pc(p + 1)),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            pc => pc == c,
        }
    }

    fn match_balance(&mut self, mut s: usize, p: usize) -> R<Option<usize>> {
        if p + 1 >= self.pat.len() {
            return Err(Fail::Msg(c"malformed pattern (missing arguments to '%b')"));
        }
        if self.sc(s) != self.pc(p) {
            return Ok(None);
        }
        let (b, e) = (self.pc(p), self.pc(p + 1));
        let mut cont = 1;
        loop {
            s += 1;
            if s >= self.src.len() {
                return Ok(None);
            }
            self.clock.tick(1)?;
            let c = self.src[s];
            if c == e {
                cont -= 1;
                if cont == 0 {
                    return Ok(Some(s + 1));
                }
            } else if c == b {
                cont += 1;
            }
        }
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> R<Option<usize>> {
        let mut i = 0;
        while self.single_match(s + i, p, ep) {
            i += 1;
            self.clock.tick(1)?;
        }
        loop {
            if let Some(res) = self.do_match(s + i, ep + 1)? {
                return Ok(Some(res));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> R<Option<usize>> {
        loop {
            if let Some(res) = self.do_match(s, ep + 1)? {
                return Ok(Some(res));
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, what: isize) -> R<Option<usize>> {
        if self.level >= MAXCAPTURES {
            return Err(Fail::Msg(c"too many captures"));
        }
        self.capture[self.level] = Capture { init: s, len: what };
        self.level += 1;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.level -= 1;
        }
        Ok(res)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> R<Option<usize>> {
        let l = self.capture_to_close()?;
        self.capture[l].len = (s - self.capture[l].init) as isize;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.capture[l].len = CAP_UNFINISHED;
        }
        Ok(res)
    }

    fn match_capture(&mut self, s: usize, l: u8) -> R<Option<usize>> {
        let l = self.check_capture(l)?;
        let Capture { init, len } = self.capture[l];
        // A position capture's length (CAP_POSITION) is huge as a size_t in C: never matches.
        if len < 0 {
            return Ok(None);
        }
        let len = len as usize;
        self.clock.tick(1 + len as u64 / 8)?;
        if self.src.len() - s >= len && self.src[init..init + len] == self.src[s..s + len] {
            Ok(Some(s + len))
        } else {
            Ok(None)
        }
    }

    /// lstrlib's `match`: the end of the match of `pat[p..]` at `s`, if any.
    fn do_match(&mut self, mut s: usize, mut p: usize) -> R<Option<usize>> {
        if self.matchdepth == 0 {
            return Err(Fail::Msg(c"pattern too complex"));
        }
        self.matchdepth -= 1;
        self.clock.tick(1)?;
        let res = loop {
            if p == self.pat.len() {
                break Some(s);
            }
            match self.pc(p) {
                b'(' => {
                    break if self.pc(p + 1) == b')' {
                        self.start_capture(s, p + 2, CAP_POSITION)?
                    } else {
                        self.start_capture(s, p + 1, CAP_UNFINISHED)?
                    };
                }
                b')' => break self.end_capture(s, p + 1)?,
                b'$' if p + 1 == self.pat.len() => break (s == self.src.len()).then_some(s),
                L_ESC if self.pc(p + 1) == b'b' => match self.match_balance(s, p + 2)? {
                    Some(next) => {
                        s = next;
                        p += 4;
                    }
                    None => break None,
                },
                L_ESC if self.pc(p + 1) == b'f' => {
                    p += 2;
                    if self.pc(p) != b'[' {
                        return Err(Fail::Msg(c"missing '[' after '%f' in pattern"));
                    }
                    let ep = self.class_end(p)?;
                    let previous = if s == 0 { 0 } else { self.src[s - 1] };
                    if !self.match_bracket_class(previous, p, ep - 1) && self.match_bracket_class(self.sc(s), p, ep - 1)
                    {
                        p = ep;
                    } else {
                        break None;
                    }
                }
                L_ESC if self.pc(p + 1).is_ascii_digit() => match self.match_capture(s, self.pc(p + 1))? {
                    Some(next) => {
                        s = next;
                        p += 2;
                    }
                    None => break None,
                },
                _ => {
                    let ep = self.class_end(p)?;
                    let suffix = self.pc(ep);
                    if !self.single_match(s, p, ep) {
                        if matches!(suffix, b'*' | b'?' | b'-') {
                            p = ep + 1;
                            continue;
                        }
                        break None;
                    }
                    match suffix {
                        b'?' => match self.do_match(s + 1, ep + 1)? {
                            Some(res) => break Some(res),
                            None => p = ep + 1,
                        },
                        b'+' => break self.max_expand(s + 1, p, ep)?,
                        b'*' => break self.max_expand(s, p, ep)?,
                        b'-' => break self.min_expand(s, p, ep)?,
                        _ => {
                            s += 1;
                            p = ep;
                        }
                    }
                }
            }
        };
        self.matchdepth += 1;
        Ok(res)
    }

    /// Pushes capture `i` (the whole match `s..e` when there are no captures).
    unsafe fn push_one(&self, l: *mut lua_State, i: usize, s: Option<usize>, e: usize) -> R<()> {
        // SAFETY: see the module note; the caller made room on the stack.
        unsafe {
            if i >= self.level {
                if i != 0 {
                    return Err(Fail::CaptureIndex(i as c_int + 1));
                }
                let s = s.unwrap_or(e);
                ffi::lua_pushlstring(l, self.src[s..e].as_ptr() as *const c_char, e - s);
                return Ok(());
            }
            let Capture { init, len } = self.capture[i];
            if len == CAP_UNFINISHED {
                return Err(Fail::Msg(c"unfinished capture"));
            }
            if len == CAP_POSITION {
                ffi::lua_pushinteger(l, init as lua_Integer + 1);
            } else {
                let len = len as usize;
                ffi::lua_pushlstring(l, self.src[init..init + len].as_ptr() as *const c_char, len);
            }
            Ok(())
        }
    }

    /// Pushes all captures (or the whole match when `s` is given and there are none).
    unsafe fn push_captures(&self, l: *mut lua_State, s: Option<usize>, e: usize) -> R<c_int> {
        let n = if self.level == 0 && s.is_some() { 1 } else { self.level };
        // SAFETY: see the module note.
        unsafe {
            ffi::luaL_checkstack(l, n as c_int, c"too many captures".as_ptr());
            for i in 0..n {
                self.push_one(l, i, s, e)?;
            }
        }
        Ok(n as c_int)
    }
}

/// lstrlib's `posrelatI`: a relative initial position, clipped to `[1, inf)`.
fn posrelat_i(pos: lua_Integer, len: usize) -> usize {
    if pos > 0 {
        pos as usize
    } else if pos == 0 || pos < -(len as lua_Integer) {
        1
    } else {
        (len as lua_Integer + pos + 1) as usize
    }
}

fn no_specials(p: &[u8]) -> bool {
    !p.iter().any(|c| SPECIALS.contains(c))
}

/// lstrlib's `lmemfind`: the first occurrence of `needle` in `hay`, on the clock.
fn mem_find(clock: &mut Clock, hay: &[u8], needle: &[u8]) -> R<Option<usize>> {
    if needle.is_empty() {
        return Ok(Some(0));
    }
    if needle.len() > hay.len() {
        return Ok(None);
    }
    let (first, rest) = (needle[0], &needle[1..]);
    let last_start = hay.len() - needle.len();
    let mut from = 0;
    while from <= last_start {
        let Some(off) = hay[from..=last_start].iter().position(|&c| c == first) else {
            return Ok(None);
        };
        let at = from + off;
        clock.tick(1 + off as u64 / 64 + rest.len() as u64 / 8)?;
        if &hay[at + 1..at + needle.len()] == rest {
            return Ok(Some(at));
        }
        from = at + 1;
    }
    Ok(None)
}

/// The string argument `arg` as bytes (raises like `luaL_checklstring`).
unsafe fn check_bytes<'a>(l: *mut lua_State, arg: c_int) -> &'a [u8] {
    // SAFETY: the string stays at `arg` on the stack for the whole call (module note).
    unsafe {
        let mut len = 0usize;
        let p = ffi::luaL_checklstring(l, arg, &mut len);
        std::slice::from_raw_parts(p as *const u8, len)
    }
}

unsafe fn find_aux(l: *mut lua_State, find: bool) -> c_int {
    // SAFETY: called by Lua as a C function; see the module note.
    unsafe {
        let src = check_bytes(l, 1);
        let pat = check_bytes(l, 2);
        let init = posrelat_i(ffi::luaL_optinteger(l, 3, 1), src.len()) - 1;
        if init > src.len() {
            ffi::lua_pushnil(l);
            return 1;
        }
        if find && (ffi::lua_toboolean(l, 4) != 0 || no_specials(pat)) {
            let mut clock = Clock::new();
            match mem_find(&mut clock, &src[init..], pat) {
                Err(f) => return raise(l, f),
                Ok(Some(at)) => {
                    ffi::lua_pushinteger(l, (init + at) as lua_Integer + 1);
                    ffi::lua_pushinteger(l, (init + at + pat.len()) as lua_Integer);
                    return 2;
                }
                Ok(None) => {}
            }
        } else {
            let anchor = pat.first() == Some(&b'^');
            let mut ms = MatchState::new(src, if anchor { &pat[1..] } else { pat });
            let mut s1 = init;
            loop {
                ms.reprep();
                match ms.do_match(s1, 0) {
                    Err(f) => return raise(l, f),
                    Ok(Some(end)) => {
                        let pushed = if find {
                            ffi::lua_pushinteger(l, s1 as lua_Integer + 1);
                            ffi::lua_pushinteger(l, end as lua_Integer);
                            ms.push_captures(l, None, 0).map(|n| n + 2)
                        } else {
                            ms.push_captures(l, Some(s1), end)
                        };
                        return match pushed {
                            Ok(n) => n,
                            Err(f) => raise(l, f),
                        };
                    }
                    Ok(None) => {}
                }
                let more = s1 < src.len() && !anchor;
                s1 += 1;
                if !more {
                    break;
                }
            }
        }
        ffi::lua_pushnil(l);
        1
    }
}

/// `string.find(s, pattern, init?, plain?)`.
pub unsafe extern "C-unwind" fn find(l: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function.
    unsafe { find_aux(l, true) }
}

/// `string.match(s, pattern, init?)`.
pub unsafe extern "C-unwind" fn match_(l: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function.
    unsafe { find_aux(l, false) }
}

/// The state of a `gmatch` iterator (a full userdata, plain data).
#[repr(C)]
struct GMatch {
    src: usize,
    /// End of the last match; `usize::MAX` when none yet.
    lastmatch: usize,
}

unsafe extern "C-unwind" fn gmatch_aux(l: *mut lua_State) -> c_int {
    // SAFETY: a closure made by `gmatch`: upvalues 1 and 2 are the subject and the pattern
    // (strings), 3 the `GMatch` userdata.
    unsafe {
        let mut ls = 0usize;
        let s = ffi::lua_tolstring(l, ffi::lua_upvalueindex(1), &mut ls);
        let mut lp = 0usize;
        let p = ffi::lua_tolstring(l, ffi::lua_upvalueindex(2), &mut lp);
        let gm = ffi::lua_touserdata(l, ffi::lua_upvalueindex(3)) as *mut GMatch;
        let src = std::slice::from_raw_parts(s as *const u8, ls);
        let pat = std::slice::from_raw_parts(p as *const u8, lp);
        let mut ms = MatchState::new(src, pat);
        let mut start = (*gm).src;
        while start <= src.len() {
            ms.reprep();
            match ms.do_match(start, 0) {
                Err(f) => return raise(l, f),
                Ok(Some(end)) if end != (*gm).lastmatch => {
                    (*gm).src = end;
                    (*gm).lastmatch = end;
                    return match ms.push_captures(l, Some(start), end) {
                        Ok(n) => n,
                        Err(f) => raise(l, f),
                    };
                }
                Ok(_) => {}
            }
            start += 1;
        }
        0
    }
}

/// `string.gmatch(s, pattern, init?)`.
pub unsafe extern "C-unwind" fn gmatch(l: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function; see the module note.
    unsafe {
        let ls = check_bytes(l, 1).len();
        check_bytes(l, 2);
        let mut init = posrelat_i(ffi::luaL_optinteger(l, 3, 1), ls) - 1;
        ffi::lua_settop(l, 2);
        let gm = ffi::lua_newuserdatauv(l, std::mem::size_of::<GMatch>(), 0) as *mut GMatch;
        if init > ls {
            init = ls + 1;
        }
        gm.write(GMatch { src: init, lastmatch: usize::MAX });
        ffi::lua_pushcclosure(l, gmatch_aux, 3);
        1
    }
}

/// lstrlib's `add_s`: the replacement string (argument 3) with its `%` escapes.
unsafe fn add_s(l: *mut lua_State, ms: &MatchState, b: *mut ffi::luaL_Buffer, s: usize, e: usize) -> R<()> {
    // SAFETY: see the module note; argument 3 is a string or a number (converted in place).
    unsafe {
        let mut len = 0usize;
        let news = ffi::lua_tolstring(l, 3, &mut len);
        // Includes the terminating NUL, which C reads after a final '%'.
        let news = std::slice::from_raw_parts(news as *const u8, len + 1);
        let mut at = 0;
        while let Some(off) = news[at..len].iter().position(|&c| c == L_ESC) {
            let p = at + off;
            ffi::luaL_addlstring(b, news[at..].as_ptr() as *const c_char, off);
            let c = news[p + 1];
            if c == L_ESC {
                ffi::luaL_addchar(b, c as c_char);
            } else if c == b'0' {
                ffi::luaL_addlstring(b, ms.src[s..].as_ptr() as *const c_char, e - s);
            } else if c.is_ascii_digit() {
                let i = (c - b'1') as usize;
                if i >= ms.level {
                    if i != 0 {
                        return Err(Fail::CaptureIndex(i as c_int + 1));
                    }
                    ffi::luaL_addlstring(b, ms.src[s..].as_ptr() as *const c_char, e - s);
                } else {
                    ms.push_one(l, i, Some(s), e)?;
                    ffi::luaL_addvalue(b);
                }
            } else {
                return Err(Fail::Msg(c"invalid use of '%' in replacement string"));
            }
            at = p + 2;
        }
        ffi::luaL_addlstring(b, news[at..].as_ptr() as *const c_char, len - at);
        Ok(())
    }
}

/// lstrlib's `add_value`: returns whether the subject changed.
unsafe fn add_value(
    l: *mut lua_State,
    ms: &MatchState,
    b: *mut ffi::luaL_Buffer,
    s: usize,
    e: usize,
    tr: c_int,
) -> R<bool> {
    // SAFETY: see the module note.
    unsafe {
        match tr {
            ffi::LUA_TFUNCTION => {
                ffi::lua_pushvalue(l, 3);
                let n = ms.push_captures(l, Some(s), e)?;
                ffi::lua_call(l, n, 1);
            }
            ffi::LUA_TTABLE => {
                ms.push_one(l, 0, Some(s), e)?;
                ffi::lua_gettable(l, 3);
            }
            _ => {
                add_s(l, ms, b, s, e)?;
                return Ok(true);
            }
        }
        if ffi::lua_toboolean(l, -1) == 0 {
            ffi::lua_pop(l, 1);
            ffi::luaL_addlstring(b, ms.src[s..].as_ptr() as *const c_char, e - s);
            Ok(false)
        } else if ffi::lua_isstring(l, -1) == 0 {
            ffi::luaL_error(l, c"invalid replacement value (a %s)".as_ptr(), ffi::luaL_typename(l, -1));
            Ok(false)
        } else {
            ffi::luaL_addvalue(b);
            Ok(true)
        }
    }
}

/// `string.gsub(s, pattern, repl, n?)`.
pub unsafe extern "C-unwind" fn gsub(l: *mut lua_State) -> c_int {
    // SAFETY: called by Lua as a C function; see the module note. `b` is not moved after
    // `luaL_buffinit` (Lua keeps a pointer into it).
    unsafe {
        let src = check_bytes(l, 1);
        let pat = check_bytes(l, 2);
        let tr = ffi::lua_type(l, 3);
        let max_s = ffi::luaL_optinteger(l, 4, src.len() as lua_Integer + 1);
        let anchor = pat.first() == Some(&b'^');
        if !matches!(tr, ffi::LUA_TNUMBER | ffi::LUA_TSTRING | ffi::LUA_TFUNCTION | ffi::LUA_TTABLE) {
            return luaL_typeerror(l, 3, c"string/function/table".as_ptr());
        }
        let mut b: ffi::luaL_Buffer = std::mem::zeroed();
        let b: *mut ffi::luaL_Buffer = &mut b;
        ffi::luaL_buffinit(l, b);
        let mut ms = MatchState::new(src, if anchor { &pat[1..] } else { pat });
        let mut at = 0usize;
        let mut lastmatch = usize::MAX;
        let mut n: lua_Integer = 0;
        let mut changed = false;
        while n < max_s {
            ms.reprep();
            let e = match ms.do_match(at, 0) {
                Ok(e) => e,
                Err(f) => return raise(l, f),
            };
            match e {
                Some(e) if e != lastmatch => {
                    n += 1;
                    match add_value(l, &ms, b, at, e, tr) {
                        Ok(c) => changed |= c,
                        Err(f) => return raise(l, f),
                    }
                    at = e;
                    lastmatch = e;
                }
                _ if at < src.len() => {
                    ffi::luaL_addchar(b, src[at] as c_char);
                    at += 1;
                }
                _ => break,
            }
            if anchor {
                break;
            }
        }
        if !changed {
            ffi::lua_pushvalue(l, 1);
        } else {
            ffi::luaL_addlstring(b, src[at..].as_ptr() as *const c_char, src.len() - at);
            ffi::luaL_pushresult(b);
        }
        ffi::lua_pushinteger(l, n);
        2
    }
}

/// Replaces the string library's matching functions in `string` (a process's, see sandbox.rs).
pub fn install(lua: &mlua::Lua, string: &mlua::Table) -> mlua::Result<()> {
    let fns: [(&str, ffi::lua_CFunction); 4] = [("find", find), ("match", match_), ("gmatch", gmatch), ("gsub", gsub)];
    for (name, f) in fns {
        string.raw_set(name, super::sandbox::c_function(lua, f)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
