import pytest

from bot.access.rate_limits import MAX_KEYS, Rate, RateLimiter


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize(
    "text, rate", [("30/60", Rate(30, 60.0)), (" 5 / 1.5 ", Rate(5, 1.5)), ("off", None), ("", None)]
)
def test_rates_are_read_from_settings(text, rate):
    assert Rate.parse(text, "SETTING") == rate


@pytest.mark.parametrize("text", ["30", "0/60", "30/0", "lots", "-1/60"])
def test_a_bad_rate_names_its_setting(text):
    with pytest.raises(ValueError, match="SSCBOT_X"):
        Rate.parse(text, "SSCBOT_X")


def test_a_burst_then_one_request_per_interval_per_key():
    clock = Clock()
    limiter = RateLimiter(Rate(3, 60), clock)
    assert [limiter.take("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.take("a") == 20  # one more every 20 s
    assert limiter.take("b") == 0  # other keys are not affected
    clock.now += 19
    assert limiter.take("a") == 1
    clock.now += 1
    assert limiter.take("a") == 0 and limiter.take("a") == 20


def test_refused_requests_do_not_push_the_wait_further():
    clock = Clock()
    limiter = RateLimiter(Rate(1, 10), clock)
    limiter.take("a")
    assert {limiter.take("a") for _ in range(100)} == {10}


def test_memory_stays_bounded_under_many_keys():
    clock = Clock()
    limiter = RateLimiter(Rate(1, 1), clock)
    for i in range(MAX_KEYS):
        limiter.take(f"k{i}")
    clock.now += 2  # all buckets full again
    limiter.take("new")
    assert len(limiter._buckets) == 1
