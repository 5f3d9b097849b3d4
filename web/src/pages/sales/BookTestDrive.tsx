import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, DatePicker, Form, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";

type Lead = components["schemas"]["Lead"];

/** From a lead's page: a test-drive car and one of the day's free slots. */
export function BookTestDrive({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState<Dayjs>(dayjs().add(1, "day"));
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<{ car_vin: string; slot_start: string }>();
  const iso = day.format("YYYY-MM-DD");
  const carVin = Form.useWatch("car_vin", form);
  const cars = useQuery({ queryKey: ["test-drive-cars"], queryFn: () => call(api.GET("/api/v1/test-drive-cars")), enabled: open });
  const slots = useQuery({ queryKey: ["test-drive-slots", iso], queryFn: () => call(api.GET("/api/v1/test-drive-slots", { params: { query: { day: iso } } })), enabled: open });
  const taken = useQuery({ queryKey: ["test-drives", iso], queryFn: () => call(api.GET("/api/v1/test-drives", { params: { query: { day: iso } } })), enabled: open });
  const busy = new Set((taken.data ?? []).filter((b) => b.car_vin === carVin && b.status !== "cancelled").map((b) => dayjs(b.slot_start).valueOf()));
  const book = useMutation({
    mutationFn: (values: { car_vin: string; slot_start: string }) =>
      call(api.POST("/api/v1/test-drives", { body: { ...values, customer_id: lead.customer_id, lead_id: lead.lead_id } })),
    onSuccess: () => {
      message.success(t("testDrives.booked"));
      setOpen(false);
      void queries.invalidateQueries({ queryKey: ["test-drives"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("testDrives.book")}</Button>
      <Modal open={open} title={t("testDrives.book")} okText={t("common.save")} cancelText={t("common.cancel")} onOk={() => form.submit()} confirmLoading={book.isPending} onCancel={() => setOpen(false)} destroyOnHidden>
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} layout="vertical" onFinish={(values) => { setProblem(null); book.mutate(values); }}>
          <Form.Item name="car_vin" label={t("testDrives.car")} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: "label" }} options={(cars.data ?? []).filter((c) => c.active).map((c) => ({ value: c.vin, label: `${c.model} ${c.plate ?? c.vin}` }))} />
          </Form.Item>
          <Form.Item label={t("testDrives.day")}>
            <DatePicker aria-label={t("testDrives.day")} value={day} onChange={(d) => d && setDay(d)} allowClear={false} />
          </Form.Item>
          <Form.Item name="slot_start" label={t("testDrives.slot")} rules={[{ required: true }]}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              loading={slots.isLoading || taken.isLoading}
              options={(slots.data?.slots ?? []).map((s) => ({ value: s, label: dayjs(s).format("HH:mm"), disabled: busy.has(dayjs(s).valueOf()) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
