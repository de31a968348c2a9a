//! The restart policy as a pure state machine: given how a run of a service ended and how long it
//! ran, decide whether to restart it, after what delay, or to give up. No clocks or threads here,
//! so every rule is tested with synthetic durations.

use std::time::Duration;

use crate::registry::RestartPolicy;

/// How a run of a service ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The body returned (any values, including `nil, err`... see `Failed`).
    Exited,
    /// The body raised, returned `nil, err`, or its process was ended abnormally.
    Failed,
    /// The run was canceled or terminated on purpose (CANCEL handled, `terminate`, shutdown).
    Canceled,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Start again after `delay`; `attempt` counts restarts since the service was last stable.
    Restart { attempt: u32, delay: Duration },
    /// `max_attempts` restarts did not help.
    GiveUp { attempts: u32 },
    /// Cancellation and explicit termination are terminal.
    Stop,
}

/// Restart bookkeeping of one service.
#[derive(Debug, Default, Clone)]
pub struct Restarts {
    /// Restarts since the service last ran for `stable_threshold`.
    pub attempts: u32,
    /// Restarts over the service's whole life.
    pub total: u64,
}

impl Restarts {
    /// Decides what follows a run that ended with `outcome` after running for `ran_for`.
    /// `jitter_sample` is uniform in [-1, 1]; the caller draws it (randomly in production).
    pub fn on_exit(
        &mut self,
        policy: &RestartPolicy,
        stable_threshold: Duration,
        outcome: Outcome,
        ran_for: Duration,
        jitter_sample: f64,
    ) -> Decision {
        if outcome == Outcome::Canceled {
            return Decision::Stop;
        }
        if ran_for >= stable_threshold {
            self.attempts = 0;
        }
        if policy.max_attempts > 0 && self.attempts >= policy.max_attempts {
            return Decision::GiveUp { attempts: self.attempts };
        }
        self.attempts += 1;
        self.total += 1;
        Decision::Restart { attempt: self.attempts, delay: backoff(policy, self.attempts, jitter_sample) }
    }
}

/// `initial_delay × backoff_factor^(attempt-1)`, capped at `max_delay`, then ± `jitter` (a
/// fraction of the delay) scaled by `jitter_sample` in [-1, 1].
pub fn backoff(p: &RestartPolicy, attempt: u32, jitter_sample: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(1024) as i32;
    let base = p.initial_delay.as_secs_f64() * p.backoff_factor.powi(exponent);
    let capped = base.min(p.max_delay.as_secs_f64());
    let jitter = capped * p.jitter * jitter_sample.clamp(-1.0, 1.0);
    Duration::from_secs_f64((capped + jitter).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(max_attempts: u32, jitter: f64) -> RestartPolicy {
        RestartPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            backoff_factor: 2.0,
            jitter,
            max_attempts,
        }
    }

    const STABLE: Duration = Duration::from_secs(5);
    const SHORT: Duration = Duration::from_millis(10);

    fn delays(r: &mut Restarts, p: &RestartPolicy, n: usize) -> Vec<u128> {
        (0..n)
            .map(|_| match r.on_exit(p, STABLE, Outcome::Failed, SHORT, 0.0) {
                Decision::Restart { delay, .. } => delay.as_millis(),
                other => panic!("expected a restart, got {other:?}"),
            })
            .collect()
    }

    #[test]
    fn restart_delays_grow_by_the_backoff_factor_up_to_max_delay() {
        let mut r = Restarts::default();
        assert_eq!(delays(&mut r, &policy(0, 0.0), 5), vec![100, 200, 400, 500, 500]);
    }

    #[test]
    fn jitter_moves_the_delay_by_at_most_its_fraction() {
        let p = policy(0, 0.1);
        for (sample, want) in [(-1.0, 90), (0.0, 100), (1.0, 110), (7.0, 110)] {
            assert_eq!(backoff(&p, 1, sample).as_millis(), want, "sample {sample}");
        }
    }

    #[test]
    fn running_past_stable_threshold_resets_the_attempt_count() {
        let p = policy(0, 0.0);
        let mut r = Restarts::default();
        delays(&mut r, &p, 3);
        match r.on_exit(&p, STABLE, Outcome::Failed, STABLE, 0.0) {
            Decision::Restart { attempt, delay } => {
                assert_eq!(attempt, 1);
                assert_eq!(delay, Duration::from_millis(100));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.total, 4);
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let p = policy(2, 0.0);
        let mut r = Restarts::default();
        assert!(matches!(r.on_exit(&p, STABLE, Outcome::Failed, SHORT, 0.0), Decision::Restart { attempt: 1, .. }));
        assert!(matches!(r.on_exit(&p, STABLE, Outcome::Exited, SHORT, 0.0), Decision::Restart { attempt: 2, .. }));
        assert_eq!(r.on_exit(&p, STABLE, Outcome::Failed, SHORT, 0.0), Decision::GiveUp { attempts: 2 });
    }

    #[test]
    fn zero_max_attempts_restarts_forever() {
        let p = policy(0, 0.0);
        let mut r = Restarts::default();
        delays(&mut r, &p, 1000);
        assert_eq!(r.attempts, 1000);
    }

    #[test]
    fn cancellation_and_termination_are_terminal() {
        let mut r = Restarts::default();
        assert_eq!(r.on_exit(&policy(0, 0.0), STABLE, Outcome::Canceled, SHORT, 0.0), Decision::Stop);
        assert_eq!(r.total, 0);
    }
}
