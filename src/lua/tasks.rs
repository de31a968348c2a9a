//! The tasks of one process — its main body and `coroutine.spawn` children — and the waiters
//! that blocked tasks leave on channels, timers and exits.
//!
//! A blocked task carries a sequence number; every waiter records the number it was made with.
//! Completing a waiter whose number is stale (the task was already woken by another case of a
//! select, or has blocked again since) does nothing, so a task is woken exactly once per block
//! without having to unregister its other waiters.

use std::collections::VecDeque;

use mlua::{AnyUserData, MultiValue, Thread};

pub type TaskId = u32;

pub struct Task {
    pub thread: Thread,
    seq: u32,
    blocked: bool,
}

/// A task's claim on a wake-up. `case` is set for select: which case, and its channel object.
#[derive(Clone)]
pub struct Waiter {
    pub task: TaskId,
    pub seq: u32,
    pub case: Option<(usize, AnyUserData)>,
}

#[derive(Default)]
pub struct Tasks {
    slots: Vec<Option<Task>>,
    free: Vec<TaskId>,
    /// Tasks ready to resume, with the values to resume them with.
    pub ready: VecDeque<(TaskId, MultiValue)>,
}

impl Tasks {
    /// Adds a task, ready to start with `args`.
    pub fn spawn(&mut self, thread: Thread, args: MultiValue) -> TaskId {
        let task = Task { thread, seq: 0, blocked: false };
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(task);
                id
            }
            None => {
                if self.slots.capacity() == 0 {
                    self.slots.reserve_exact(1);
                }
                self.slots.push(Some(task));
                (self.slots.len() - 1) as TaskId
            }
        };
        super::push_lean(&mut self.ready, (id, args));
        id
    }

    pub fn thread(&self, id: TaskId) -> Option<&Thread> {
        self.slots.get(id as usize)?.as_ref().map(|t| &t.thread)
    }

    pub fn remove(&mut self, id: TaskId) {
        if let Some(slot) = self.slots.get_mut(id as usize) {
            if slot.take().is_some() {
                self.free.push(id);
            }
        }
    }

    /// Marks `id` blocked and returns the waiter to register.
    pub fn block(&mut self, id: TaskId, case: Option<(usize, AnyUserData)>) -> Waiter {
        let task = self.slots[id as usize].as_mut().expect("blocking a live task");
        task.seq = task.seq.wrapping_add(1);
        task.blocked = true;
        Waiter { task: id, seq: task.seq, case }
    }

    pub fn waiter_for_case(w: &Waiter, index: usize, chan: AnyUserData) -> Waiter {
        Waiter { task: w.task, seq: w.seq, case: Some((index, chan)) }
    }

    pub fn is_waiting(&self, w: &Waiter) -> bool {
        matches!(self.slots.get(w.task as usize), Some(Some(t)) if t.blocked && t.seq == w.seq)
    }

    /// Wakes the task behind `w` with `args`, unless the waiter is stale. Returns whether it woke.
    pub fn complete(&mut self, w: &Waiter, args: MultiValue) -> bool {
        match self.slots.get_mut(w.task as usize) {
            Some(Some(t)) if t.blocked && t.seq == w.seq => {
                t.blocked = false;
                super::push_lean(&mut self.ready, (w.task, args));
                true
            }
            _ => false,
        }
    }
}
