import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

type Renewal = components["schemas"]["Renewal"];
type Status = NonNullable<Renewal["status"]>;
type Step = "quote" | "call" | "outcome";
interface StepForm {
  premium?: number;
  insurer?: string;
  outcome?: "reached" | "no_answer" | "refused";
  notes?: string;
  result?: "renewed" | "lost";
  policy_no?: string;
  reason?: components["schemas"]["OutcomeIn"]["reason"];
}
const LOST_REASONS = ["price", "insured_elsewhere", "car_sold", "service_complaint", "unreachable", "other"] as const;

const STATUS_TONE: Record<string, string> = { open: TONE.blue, quoted: TONE.gold, renewed: TONE.green, lost: TONE.grey };

/** The insurance specialist's renewals: expiring by month, quote (an SMS goes with it), the call within
 * three days, the outcome. */
export default function Renewals() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [before, setBefore] = useState<Dayjs>(dayjs().add(2, "month").endOf("month"));
  const [status, setStatus] = useState<Status | undefined>();
  const [working, setWorking] = useState<{ renewal: Renewal; step: Step } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<StepForm>();
  const list = useQuery({
    queryKey: ["renewals", before.format("YYYY-MM-DD"), status],
    queryFn: () =>
      call(api.GET("/api/v1/renewals", { params: { query: { expiring_before: before.format("YYYY-MM-DD"), status, limit: 200 } } })),
  });
  const act = useMutation({
    mutationFn: async ({ renewal, step, values }: { renewal: Renewal; step: Step; values: StepForm }) => {
      const path = { renewal_id: renewal.id };
      if (step === "quote")
        return call(api.POST("/api/v1/renewals/{renewal_id}/quote", { params: { path }, body: { premium: String(values.premium), insurer: values.insurer || null } }));
      if (step === "call")
        return call(api.POST("/api/v1/renewals/{renewal_id}/calls", { params: { path }, body: { outcome: values.outcome ?? "reached", notes: values.notes ?? "" } }));
      return call(
        api.POST("/api/v1/renewals/{renewal_id}/outcome", {
          params: { path },
          body: { result: values.result ?? "renewed", policy_no: values.policy_no || null, reason: values.reason ?? null, insurer: values.insurer || null },
        }),
      );
    },
    onSuccess: () => {
      message.success(t("renewals.saved"));
      setWorking(null);
      void queries.invalidateQueries({ queryKey: ["renewals"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const open = (renewal: Renewal, step: Step) => {
    form.resetFields();
    form.setFieldsValue({ insurer: renewal.quote_insurer ?? renewal.insurer, premium: renewal.premium ? Number(renewal.premium) : undefined });
    setProblem(null);
    setWorking({ renewal, step });
  };
  const result = Form.useWatch("result", form);
  return (
    <Card
      title={
        <PageTitle>
          {t("renewals.title")}
        </PageTitle>
      }
      extra={
        <Space wrap>
          <DatePicker picker="month" aria-label={t("renewals.expiringBy")} value={before} onChange={(m) => m && setBefore(m.endOf("month"))} allowClear={false} />
          <Select<Status | undefined>
            aria-label={t("renewals.status")}
            placeholder={t("renewals.status")}
            allowClear
            style={{ width: 130 }}
            value={status}
            onChange={setStatus}
            options={(["open", "quoted", "renewed", "lost"] as const).map((s) => ({ value: s, label: t(`renewals.statuses.${s}`) }))}
          />
        </Space>
      }
    >
      {list.error && <ProblemAlert error={list.error} what={t("renewals.title")} onRetry={() => void list.refetch()} />}
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 860 }}
        columns={[
          { title: t("renewals.expires"), dataIndex: "expires_on", render: (on: string, r) => `${on} (${r.days_to_expiry}${t("renewals.days")})` },
          { title: t("renewals.holder"), dataIndex: "holder_name" },
          { title: t("common.mobile"), dataIndex: "holder_mobile" },
          { title: "VIN", dataIndex: "vin" },
          { title: t("renewals.insurer"), dataIndex: "insurer" },
          { title: t("renewals.premium"), dataIndex: "premium" },
          {
            title: t("renewals.status"),
            dataIndex: "status",
            render: (s: string, r) => (
              <Space size={4} wrap>
                <Tag color={STATUS_TONE[s]}>{t(`renewals.statuses.${s}`)}</Tag>
                {r.call_overdue && <Tag color={TONE.red}>{t("renewals.callOverdue")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            render: (_: unknown, r) =>
              r.status === "open" || r.status === "quoted" ? (
                <Space wrap>
                  <Button size="small" onClick={() => open(r, "quote")}>{t("renewals.quote")}</Button>
                  <Button size="small" onClick={() => open(r, "call")}>{t("renewals.call")}</Button>
                  <Button size="small" type="primary" onClick={() => open(r, "outcome")}>{t("renewals.outcome")}</Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={working !== null}
        title={working ? `${t(`renewals.${working.step}`)} · ${working.renewal.holder_name}` : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={act.isPending}
        onCancel={() => setWorking(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<StepForm> form={form} layout="vertical" initialValues={{ outcome: "reached", result: "renewed" }} onFinish={(values) => working && act.mutate({ ...working, values })}>
          {working?.step === "quote" && (
            <>
              <Form.Item name="premium" label={t("renewals.premium")} rules={[{ required: true }]}>
                <InputNumber<number> min={0} step={100} style={{ width: "100%" }} />
              </Form.Item>
              <Form.Item name="insurer" label={t("renewals.insurer")}>
                <Input maxLength={64} />
              </Form.Item>
            </>
          )}
          {working?.step === "call" && (
            <>
              <Form.Item name="outcome" label={t("renewals.callOutcome")}>
                <Radio.Group options={(["reached", "no_answer", "refused"] as const).map((o) => ({ value: o, label: t(`renewals.callOutcomes.${o}`) }))} />
              </Form.Item>
              <Form.Item name="notes" label={t("common.notes")}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {working?.step === "outcome" && (
            <>
              <Form.Item name="result" label={t("renewals.outcome")}>
                <Radio.Group options={(["renewed", "lost"] as const).map((o) => ({ value: o, label: t(`renewals.statuses.${o}`) }))} />
              </Form.Item>
              {result === "renewed" ? (
                <>
                  <Form.Item name="policy_no" label={t("renewals.policyNo")}>
                    <Input maxLength={64} />
                  </Form.Item>
                  <Form.Item name="insurer" label={t("renewals.insurer")}>
                    <Input maxLength={64} />
                  </Form.Item>
                </>
              ) : (
                <Form.Item name="reason" label={t("renewals.lostReason")}>
                  <Select options={LOST_REASONS.map((r) => ({ value: r, label: t(`renewals.lostReasons.${r}`) }))} />
                </Form.Item>
              )}
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
