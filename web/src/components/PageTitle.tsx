import { Typography } from "antd";
import type { ReactNode } from "react";

/** A screen's heading (the level-2 heading every desk has, inside its card's title). */
export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
      {children}
    </Typography.Title>
  );
}
