import { Button, Form, Input, InputNumber, Space } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** The `lines` of a parts form — ordered, counted, sold: a part number and a quantity each (the
 * quantity under `qty`'s name and label), whatever `extra` adds to a line, one more with 添加配件,
 * any line but the last removable. */
export function PartLines({
  qty,
  blank,
  extra,
}: {
  qty: { name: string; label: string; min: number };
  blank: Record<string, unknown>;
  extra?: (name: number) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap>
              <Form.Item name={[field.name, "part_no"]} label={t("parts.partNo")} rules={[{ required: true }]}>
                <Input maxLength={40} />
              </Form.Item>
              <Form.Item name={[field.name, qty.name]} label={qty.label} rules={[{ required: true }]}>
                <InputNumber<number> min={qty.min} />
              </Form.Item>
              {extra?.(field.name)}
              {fields.length > 1 && <Button onClick={() => remove(field.name)}>{t("repairOrders.remove")}</Button>}
            </Space>
          ))}
          <Button onClick={() => add(blank)}>{t("purchase.addLine")}</Button>
        </>
      )}
    </Form.List>
  );
}
