import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Radio, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

type Booking = components["schemas"]["Booking"];
type DoneIn = components["schemas"]["DoneIn"];

/** The showroom's test-drive calendar: the day's slots down, the test-drive cars across; a booked drive is
 * done with the signed agreement, the route and what the customer thought. */
export default function TestDrives() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [finishing, setFinishing] = useState<Booking | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<DoneIn>();
  const iso = day.format("YYYY-MM-DD");
  const cars = useQuery({ queryKey: ["test-drive-cars"], queryFn: () => call(api.GET("/api/v1/test-drive-cars")) });
  const slots = useQuery({ queryKey: ["test-drive-slots", iso], queryFn: () => call(api.GET("/api/v1/test-drive-slots", { params: { query: { day: iso } } })) });
  const bookings = useQuery({ queryKey: ["test-drives", iso], queryFn: () => call(api.GET("/api/v1/test-drives", { params: { query: { day: iso } } })) });
  const finish = useMutation({
    mutationFn: ({ booking, body }: { booking: Booking; body: DoneIn }) =>
      call(api.POST("/api/v1/test-drives/{booking_id}/complete", { params: { path: { booking_id: booking.id } }, body })),
    onSuccess: () => {
      message.success(t("testDrives.done"));
      setFinishing(null);
      void queries.invalidateQueries({ queryKey: ["test-drives"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const active = (cars.data ?? []).filter((car) => car.active);
  const at = (vin: string, start: string) =>
    (bookings.data ?? []).find((b) => b.car_vin === vin && dayjs(b.slot_start).isSame(dayjs(start)) && b.status !== "cancelled");
  return (
    <Card
      title={
        <PageTitle>
          {t("testDrives.title")}
        </PageTitle>
      }
      extra={<DatePicker aria-label={t("testDrives.day")} value={day} onChange={(d) => d && setDay(d)} allowClear={false} />}
    >
      {(cars.error || slots.error || bookings.error) && <ProblemAlert error={cars.error ?? slots.error ?? bookings.error} what={t("testDrives.title")} />}
      <Table
        rowKey={(slot) => slot}
        size="small"
        bordered
        loading={cars.isLoading || bookings.isLoading}
        dataSource={slots.data?.slots ?? []}
        pagination={false}
        columns={[
          { title: t("testDrives.slot"), width: 80, render: (start: string) => dayjs(start).format("HH:mm") },
          ...active.map((car) => ({
            title: `${car.model} ${car.plate ?? car.vin.slice(-6)}`,
            key: car.vin,
            render: (_: unknown, start: string) => {
              const booking = at(car.vin, start);
              if (!booking) return null;
              return booking.status === "booked" ? (
                <Button
                  size="small"
                  onClick={() => {
                    setProblem(null);
                    form.resetFields();
                    setFinishing(booking);
                  }}
                >
                  {booking.consultant_no}
                </Button>
              ) : (
                <Tag color={TONE.green}>{t(`testDrives.statuses.${booking.status}`)}</Tag>
              );
            },
          })),
        ]}
      />
      <Modal
        open={finishing !== null}
        title={t("testDrives.finish")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={finish.isPending}
        onCancel={() => setFinishing(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<DoneIn> form={form} layout="vertical" initialValues={{ route: "city" }} onFinish={(values) => finishing && finish.mutate({ booking: finishing, body: { ...values, agreement_signed: true } })}>
          <Form.Item name="agreement_signed" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t("testDrives.agreementNeeded")))) }]}>
            <Checkbox>{t("testDrives.agreement")}</Checkbox>
          </Form.Item>
          <Form.Item name="route" label={t("testDrives.route")}>
            <Radio.Group options={(["city", "highway", "mixed"] as const).map((r) => ({ value: r, label: t(`testDrives.routes.${r}`) }))} />
          </Form.Item>
          <Form.Item name="outcome" label={t("testDrives.outcome")} rules={[{ required: true }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
