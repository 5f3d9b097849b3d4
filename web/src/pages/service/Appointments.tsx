import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

type AppointmentIn = components["schemas"]["AppointmentIn"];
type Appointment = components["schemas"]["Appointment"];
type Booking = Pick<AppointmentIn, "vin" | "customer_name" | "customer_mobile" | "service_type" | "notes">;

/** The service advisor's day: each slot with the bays still free and who is booked in it; book a
 * slot, mark an arrival or a no-show. */
export default function Appointments() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [slot, setSlot] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<Booking>();
  const plan = useQuery({
    queryKey: ["appointments", day.format("YYYY-MM-DD")],
    queryFn: () => call(api.GET("/api/v1/appointments", { params: { query: { day: day.format("YYYY-MM-DD") } } })),
  });
  const book = useMutation({
    mutationFn: (body: AppointmentIn) => call(api.POST("/api/v1/appointments", { body })),
    onSuccess: () => {
      message.success(t("appointments.booked"));
      setSlot(null);
      form.resetFields();
      void queries.invalidateQueries({ queryKey: ["appointments"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const act = useMutation({
    mutationFn: ({ booking, action }: { booking: Appointment; action: "arrive" | "no-show" | "cancel" }) =>
      call(
        api.POST("/api/v1/appointments/{appointment_id}/{action}", {
          params: { path: { appointment_id: booking.id, action }, header: { "if-match": `"${booking.version}"` } },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ["appointments"] }),
  });
  const items = plan.data?.items ?? [];
  const at = (start: string) => items.filter((item) => dayjs(item.starts_at).isSame(dayjs(start)));
  return (
    <Card
      title={
        <PageTitle>
          {t("appointments.title")}
        </PageTitle>
      }
      extra={<DatePicker aria-label={t("appointments.day")} value={day} onChange={(d) => d && setDay(d)} allowClear={false} />}
    >
      {(plan.error || act.error) && <ProblemAlert error={plan.error ?? act.error} what={t("appointments.title")} onRetry={() => void plan.refetch()} />}
      <Table
        rowKey="starts_at"
        size="small"
        loading={plan.isLoading}
        dataSource={plan.data?.slots ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: t("appointments.slot"), dataIndex: "starts_at", render: (s: string) => dayjs(s).format("HH:mm") },
          {
            title: t("appointments.freeBays"),
            dataIndex: "free_bays",
            render: (free: number) => <Tag color={free > 0 ? TONE.green : TONE.red}>{free}</Tag>,
          },
          {
            title: t("appointments.booked"),
            render: (_: unknown, s) => (
              <Space direction="vertical" size={2}>
                {at(s.starts_at).map((booking) => (
                  <Space key={booking.id} wrap size={4}>
                    <span>
                      {booking.customer_name ?? ""} {booking.vin} · {t(`repairOrders.types.${booking.service_type}`)} ·{" "}
                      {t(`appointments.statuses.${booking.status}`)}
                    </span>
                    {booking.status === "booked" && (
                      <>
                        <Button size="small" onClick={() => act.mutate({ booking, action: "arrive" })}>
                          {t("appointments.arrive")}
                        </Button>
                        <Button size="small" onClick={() => act.mutate({ booking, action: "no-show" })}>
                          {t("appointments.noShow")}
                        </Button>
                      </>
                    )}
                  </Space>
                ))}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            render: (_: unknown, s) => (
              <Button size="small" disabled={s.free_bays <= 0} onClick={() => setSlot(s.starts_at)}>
                {t("appointments.book")}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={slot !== null}
        title={`${t("appointments.book")} ${slot ? dayjs(slot).format("MM-DD HH:mm") : ""}`}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={book.isPending}
        onCancel={() => setSlot(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<Booking>
          form={form}
          layout="vertical"
          initialValues={{ service_type: "maintenance" }}
          onFinish={(values) => {
            setProblem(null);
            book.mutate({
              ...values,
              vin: values.vin.trim().toUpperCase(),
              customer_name: values.customer_name || null,
              customer_mobile: values.customer_mobile || null,
              advisor_no: me?.employee_no ?? "",
              channel: "phone",
              starts_at: slot ?? "",
            });
          }}
        >
          <Form.Item name="vin" label="VIN" rules={[{ required: true }]}>
            <Input maxLength={17} />
          </Form.Item>
          <Form.Item name="customer_name" label={t("followUps.owner")}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="customer_mobile" label={t("common.mobile")}>
            <Input inputMode="tel" maxLength={24} />
          </Form.Item>
          <Form.Item name="service_type" label={t("repairOrders.type")}>
            <Select options={(["maintenance", "repair", "warranty", "accident"] as const).map((type) => ({ value: type, label: t(`repairOrders.types.${type}`) }))} />
          </Form.Item>
          <Form.Item name="notes" label={t("common.notes")}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
