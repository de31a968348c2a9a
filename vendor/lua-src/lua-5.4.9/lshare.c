/*
** PATCH(wippy): functions and strings shared by all the states of a process.
**
** A module's prototypes and their strings are made once, in a loader state
** `T`, and then shared: every state runs them through closures of its own,
** without undumping or interning anything. A shared object is immutable and
** gray forever (SHAREDBIT set, no white or black bit, age G_OLD): a
** collector marks only white objects and sweeps only its own lists, so no
** state's collector ever reads, writes or frees one. Shared objects live
** until the process ends.
**
** Strings: short strings are interned per state, and compared by address.
** A state looks for a string in its own table first, then in the shared
** table (luaS_findshared); it makes a string of its own only when neither
** has it. All states hash with one seed, so a string has one hash
** everywhere.
**
** Generations: a state may run a shared function only if the function's
** strings were shared before the state was made (`lua_pushshared` checks
** this). Otherwise the state could hold its own copy of one of them, and
** two equal short strings at different addresses break table lookups.
**
** Threads: `lua_share` must be called by one thread at a time (the caller
** serializes it); `luaS_findshared` and `lua_pushshared` may run on any
** thread at any time: a string is published with a release store to its
** bucket after it is complete, and a generation with a release increment
** after all its strings.
*/

#define lshare_c
#define LUA_CORE

#include "lprefix.h"

#include <string.h>

#include "lua.h"

#include "lapi.h"
#include "lfunc.h"
#include "lgc.h"
#include "lobject.h"
#include "lstate.h"
#include "lstring.h"


/* Buckets of the shared string table: fixed, so readers never see a resize
** (16K buckets hold the strings of a large project with short chains). */
#define SHAREDBUCKETS	(1u << 14)

static TString *sharedstrt[SHAREDBUCKETS];
static unsigned int sharedgen;

/* The metamethod names, shared by the first 'lua_share' (with the reserved
** words and the memory-error message: all of the loader's fixed strings). */
static TString *sharedtmname[TM_N];


unsigned int luaS_sharedseed (void) {
  size_t a = (size_t)&sharedstrt;  /* randomized by address space layout */
  return cast_uint(a ^ (a >> 32)) ^ 0x9E3779B9u;
}


unsigned int luaS_sharedgen (void) {
  return __atomic_load_n(&sharedgen, __ATOMIC_ACQUIRE);
}


/*
** A state made after the first 'lua_share' takes its metamethod names from
** the shared ones, and finds the reserved words (marked as such) in the
** shared table: it makes none of its own. Returns whether it did.
*/
int luaS_sharedbuiltins (lua_State *L) {
  global_State *g = G(L);
  if (g->sharedgen == 0)
    return 0;
  memcpy(g->tmname, sharedtmname, sizeof(sharedtmname));
  return 1;
}


TString *luaS_findshared (const char *str, size_t l, unsigned int h) {
  TString *ts = __atomic_load_n(&sharedstrt[h & (SHAREDBUCKETS - 1)],
                                __ATOMIC_ACQUIRE);
  for (; ts != NULL; ts = ts->u.hnext) {
    if (l == ts->shrlen && memcmp(str, getshrstr(ts), l * sizeof(char)) == 0)
      return ts;
  }
  return NULL;
}


static void markshared (GCObject *o) {
  o->marked = cast_byte(bitmask(SHAREDBIT) | G_OLD);  /* gray, old */
}


/* Moves string 'ts' of state 'T' to the shared table. */
static void sharestring (lua_State *T, TString *ts) {
  if (ts == NULL || isshared(ts))
    return;
  if (ts->tt == LUA_VSHRSTR) {
    TString **bucket = &sharedstrt[ts->hash & (SHAREDBUCKETS - 1)];
    luaS_remove(T, ts);  /* no longer T's own */
    markshared(obj2gco(ts));
    ts->u.hnext = *bucket;
    __atomic_store_n(bucket, ts, __ATOMIC_RELEASE);
  }
  else {
    luaS_hashlongstr(ts);  /* computed now: nobody writes it later */
    markshared(obj2gco(ts));
  }
}


static void shareproto (lua_State *T, Proto *p) {
  int i;
  if (isshared(p))
    return;
  for (i = 0; i < p->sizek; i++) {
    if (ttisstring(&p->k[i]))
      sharestring(T, tsvalue(&p->k[i]));
  }
  for (i = 0; i < p->sizeupvalues; i++)
    sharestring(T, p->upvalues[i].name);
  for (i = 0; i < p->sizelocvars; i++)
    sharestring(T, p->locvars[i].varname);
  sharestring(T, p->source);
  for (i = 0; i < p->sizep; i++)
    shareproto(T, p->p[i]);
  markshared(obj2gco(p));
}


/* Takes the shared objects out of T's list of collectable objects. */
static void unlinkshared (GCObject **list) {
  while (*list != NULL) {
    if (isshared(*list))
      *list = (*list)->next;
    else
      list = &(*list)->next;
  }
}


/* The globals, as 'lua_load' finds them (lapi.c) */
#define getGtable(L)  \
	(&hvalue(&G(L)->l_registry)->array[LUA_RIDX_GLOBALS - 1])


/*
** Shares the prototype of the Lua function on the top of the stack of 'T',
** with every prototype and string it reaches, and returns it; '*gen' gets
** the generation a state must have to run it. 'T' must be a state whose
** collector is stopped (no object may be in a gray list) and only ever used
** for sharing. Also shares T's fixed strings (metamethod names, reserved
** words), so later states do not make their own.
*/
LUA_API const void *lua_share (lua_State *T, unsigned int *gen) {
  global_State *g = G(T);
  const TValue *o;
  Proto *p;
  GCObject *f;
  lua_lock(T);
  api_checknelems(T, 1);
  o = s2v(T->top.p - 1);
  api_check(T, ttisLclosure(o), "Lua function expected");
  p = clLvalue(o)->p;
  shareproto(T, p);
  for (f = g->fixedgc; f != NULL; f = f->next) {
    if (f->tt == LUA_VSHRSTR)
      sharestring(T, gco2ts(f));
  }
  if (sharedgen == 0)  /* first share: the names are shared now */
    memcpy(sharedtmname, g->tmname, sizeof(sharedtmname));
  unlinkshared(&g->allgc);
  *gen = __atomic_add_fetch(&sharedgen, 1, __ATOMIC_RELEASE);
  lua_unlock(T);
  return p;
}


/*
** Pushes a new closure of shared prototype 'proto' (from 'lua_share', with
** its generation 'gen'), with fresh upvalues, the first set to the globals
** as 'lua_load' does. Returns 0, pushing nothing, if the state is older
** than the prototype's strings.
*/
LUA_API int lua_pushshared (lua_State *L, const void *proto, unsigned int gen) {
  Proto *p = cast(Proto *, proto);
  LClosure *cl;
  if (gen > G(L)->sharedgen)
    return 0;
  lua_lock(L);
  cl = luaF_newLclosure(L, p->sizeupvalues);
  cl->p = p;  /* no barrier: 'p' is never white */
  setclLvalue2s(L, L->top.p, cl);
  api_incr_top(L);
  luaF_initupvals(L, cl);
  if (cl->nupvalues >= 1) {
    const TValue *gt = getGtable(L);
    setobj(L, cl->upvals[0]->v.p, gt);
    luaC_barrier(L, cl->upvals[0], gt);
  }
  luaC_checkGC(L);
  lua_unlock(L);
  return 1;
}
