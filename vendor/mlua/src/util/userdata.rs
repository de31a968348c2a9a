use std::os::raw::{c_int, c_void};
use std::{mem, ptr};

use crate::error::Result;
use crate::userdata::collect_userdata;
use crate::util::{TypeKey, check_stack, get_metatable_ptr, push_table, rawset_field};

// Pushes the userdata and attaches a metatable with __gc method.
// Internally uses 3 stack spaces, does not call checkstack.
//
// PATCH(wippy): the metatable is made here if the state has none yet: only the extra data's and the
// error's are made with the state, the callbacks' when the first Rust function is.
pub(crate) unsafe fn push_internal_userdata<T: TypeKey>(
    state: *mut ffi::lua_State,
    t: T,
    protect: bool,
) -> Result<*mut T> {
    if ffi::lua_rawgetp(state, ffi::LUA_REGISTRYINDEX, T::type_key()) == ffi::LUA_TNIL {
        ffi::lua_pop(state, 1);
        init_internal_metatable::<T>(state, None, protect)?;
    } else {
        ffi::lua_pop(state, 1);
    }
    let ud_ptr = push_userdata(state, t, protect)?;
    get_internal_metatable::<T>(state);
    ffi::lua_setmetatable(state, -2);
    Ok(ud_ptr)
}

#[track_caller]
pub(crate) unsafe fn get_internal_metatable<T: TypeKey>(state: *mut ffi::lua_State) {
    ffi::lua_rawgetp(state, ffi::LUA_REGISTRYINDEX, T::type_key());
    debug_assert!(ffi::lua_isnil(state, -1) == 0, "internal metatable not found");
}

// Initialize the internal metatable for a type T (with __gc method).
// Uses 6 stack spaces and calls checkstack.
//
// PATCH(wippy): `protect: false` builds it with plain API calls, for a new state whose allocator has
// no limit yet (an allocation failure there is fatal either way); each protected call costs about
// a thousand instructions, and a state makes twenty of them.
pub(crate) unsafe fn init_internal_metatable<T: TypeKey>(
    state: *mut ffi::lua_State,
    customize_fn: Option<fn(*mut ffi::lua_State)>,
    protect: bool,
) -> Result<()> {
    check_stack(state, 6)?;

    if !protect {
        ffi::lua_createtable(state, 0, 3);
        #[cfg(not(feature = "luau"))]
        {
            ffi::lua_pushcfunction(state, collect_userdata::<T>);
            ffi::lua_setfield(state, -2, cstr!("__gc"));
        }
        ffi::lua_pushboolean(state, 0);
        ffi::lua_setfield(state, -2, cstr!("__metatable"));
        if let Some(f) = customize_fn {
            f(state);
        }
        ffi::lua_rawsetp(state, ffi::LUA_REGISTRYINDEX, T::type_key());
        return Ok(());
    }

    push_table(state, 0, 3, true)?;

    #[cfg(not(feature = "luau"))]
    {
        ffi::lua_pushcfunction(state, collect_userdata::<T>);
        rawset_field(state, -2, "__gc")?;
    }

    ffi::lua_pushboolean(state, 0);
    rawset_field(state, -2, "__metatable")?;

    protect_lua!(state, 1, 0, |state| {
        if let Some(f) = customize_fn {
            f(state);
        }

        ffi::lua_rawsetp(state, ffi::LUA_REGISTRYINDEX, T::type_key());
    })?;

    Ok(())
}

// Uses up to 1 stack space, does not call `checkstack`
pub(crate) unsafe fn get_internal_userdata<T: TypeKey>(
    state: *mut ffi::lua_State,
    index: c_int,
    mut type_mt_ptr: *const c_void,
) -> *mut T {
    let ud = ffi::lua_touserdata(state, index) as *mut T;
    if ud.is_null() {
        return ptr::null_mut();
    }
    let mt_ptr = get_metatable_ptr(state, index);
    if type_mt_ptr.is_null() {
        ffi::lua_rawgetp(state, ffi::LUA_REGISTRYINDEX, T::type_key()); // PATCH(wippy): may be nil
        type_mt_ptr = ffi::lua_topointer(state, -1);
        ffi::lua_pop(state, 1);
    }
    // PATCH(wippy): no metatable for `T` yet (made on first push): no value of `T` exists.
    if type_mt_ptr.is_null() || mt_ptr != type_mt_ptr {
        return ptr::null_mut();
    }
    ud
}

// Internally uses 3 stack spaces, does not call checkstack.
#[inline]
pub(crate) unsafe fn push_uninit_userdata<T>(state: *mut ffi::lua_State, protect: bool) -> Result<*mut T> {
    protect_lua_mem!(state, if protect, 0, 1, |state| {
        ffi::lua_newuserdata(state, const { mem::size_of::<T>() }) as *mut T
    })
}

// Internally uses 3 stack spaces, does not call checkstack.
#[inline]
pub(crate) unsafe fn push_userdata<T>(state: *mut ffi::lua_State, t: T, protect: bool) -> Result<*mut T> {
    let size = const { mem::size_of::<T>() };

    #[cfg(not(feature = "luau"))]
    let ud_ptr =
        protect_lua_mem!(state, if protect, 0, 1, |state| ffi::lua_newuserdata(state, size))? as *mut T;

    #[cfg(feature = "luau")]
    let ud_ptr = protect_lua_mem!(state, if protect, 0, 1, |state| {
        ffi::lua_newuserdatadtor(state, size, collect_userdata::<T>)
    })? as *mut T;

    ptr::write(ud_ptr, t);
    Ok(ud_ptr)
}

#[inline]
#[track_caller]
pub(crate) unsafe fn get_userdata<T>(state: *mut ffi::lua_State, index: c_int) -> *mut T {
    let ud = ffi::lua_touserdata(state, index) as *mut T;
    mlua_debug_assert!(!ud.is_null(), "userdata pointer is null");
    ud
}

/// Unwraps `T` from the Lua userdata and invalidating it by setting the special "destructed"
/// metatable.
///
/// This method does not check that userdata is of type `T` and was not previously invalidated.
///
/// Uses 1 extra stack space, does not call checkstack.
pub(crate) unsafe fn take_userdata<T>(state: *mut ffi::lua_State, idx: c_int) -> T {
    #[rustfmt::skip]
    let idx = if idx < 0 { ffi::lua_absindex(state, idx) } else { idx };

    // Update the metatable of this userdata to a special one with no `__gc` method and with
    // metamethods that trigger an error on access.
    // We do this so that it will not be double dropped or used after being dropped.
    get_destructed_userdata_metatable(state);
    ffi::lua_setmetatable(state, idx);
    let ud = get_userdata::<T>(state, idx);

    // Update userdata tag to disable destructor and mark as destructed
    #[cfg(feature = "luau")]
    ffi::lua_setuserdatatag(state, idx, 1);

    ptr::read(ud)
}

pub(crate) unsafe fn get_destructed_userdata_metatable(state: *mut ffi::lua_State) {
    let key = &DESTRUCTED_USERDATA_METATABLE as *const u8 as *const c_void;
    if ffi::lua_rawgetp(state, ffi::LUA_REGISTRYINDEX, key) != ffi::LUA_TNIL {
        return;
    }
    ffi::lua_pop(state, 1);
    // PATCH(wippy): made on first use (`make_destructed_userdata_metatable`), in a protected call.
    // If that fails (out of memory), nil: a userdata without a metatable cannot be dropped twice
    // or borrowed either.
    if ffi::lua_checkstack(state, 3) == 0 {
        ffi::lua_pushnil(state);
        return;
    }
    ffi::lua_pushcfunction(state, crate::util::error::make_destructed_userdata_metatable);
    if ffi::lua_pcall(state, 0, 1, 0) != ffi::LUA_OK {
        ffi::lua_pop(state, 1);
        ffi::lua_pushnil(state);
        return;
    }
    let extra = crate::state::ExtraData::get(state);
    if !extra.is_null() {
        let type_id = Some(std::any::TypeId::of::<crate::types::DestructedUserdata>());
        (*extra).registered_userdata_mt.insert(ffi::lua_topointer(state, -1), type_id);
    }
}

pub(crate) static DESTRUCTED_USERDATA_METATABLE: u8 = 0;
