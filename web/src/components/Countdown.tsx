import { Tag } from "antd";
import { useEffect, useState } from "react";
import { TONE } from "./palette";

/** Minutes and seconds left until a moment (a web lead's first-contact deadline), ticking. */
export function remaining(until: string, now: number): string {
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  const hours = Math.floor(left / 3600);
  const minutes = Math.floor((left % 3600) / 60);
  const seconds = left % 60;
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function Countdown({ until, label }: { until: string; label: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const urgent = Date.parse(until) - now < 10 * 60_000;
  return (
    <Tag color={urgent ? TONE.orange : TONE.blue} aria-label={label}>
      {`${label} ${remaining(until, now)}`}
    </Tag>
  );
}
