import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Space, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";

type Claim = components["schemas"]["InsuranceClaim"];
interface Report {
  insurer: string;
  claim_no: string;
  referred?: boolean;
}
interface Step {
  amount: number;
  on: Dayjs;
  assessor?: string;
  excess?: number;
}

/** An accident repair's insurance claim (理赔), on its repair order: the insurer and its number, the
 * assessment (定损) with the customer's excess, and the insurer's payment. */
export function InsuranceClaim({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [reportForm] = Form.useForm<Report>();
  const [stepForm] = Form.useForm<Step>();
  const [problem, setProblem] = useState<unknown>(null);
  const key = ["insurance-claims", orderId];
  const found = useQuery({
    queryKey: key,
    queryFn: () =>
      call(api.GET("/api/v1/insurance-claims", { params: { query: { repair_order_id: orderId, limit: 1 } } })),
  });
  const claim: Claim | undefined = found.data?.items[0];
  const done = () => {
    setProblem(null);
    void queries.invalidateQueries({ queryKey: key });
  };
  const report = useMutation({
    mutationFn: (values: Report) =>
      call(
        api.POST("/api/v1/insurance-claims", {
          body: { repair_order_id: orderId, insurer: values.insurer.trim(), claim_no: values.claim_no.trim(), referred: !!values.referred },
        }),
      ),
    onSuccess: () => {
      message.success(t("insuranceClaim.reported"));
      done();
    },
    onError: (error) => setProblem(showProblem(reportForm, error)),
  });
  const step = useMutation({
    mutationFn: (values: Step) => {
      const to = claim?.state === "reported" ? "assessed" : "paid";
      return call(
        api.POST("/api/v1/insurance-claims/{claim_id}/transitions", {
          params: { path: { claim_id: claim!.id }, header: { "if-match": `"${claim!.version}"` } },
          body: {
            to,
            amount: Number(values.amount).toFixed(2),
            on: values.on.format("YYYY-MM-DD"),
            assessor: to === "assessed" ? values.assessor?.trim() : null,
            excess: to === "assessed" ? Number(values.excess ?? 0).toFixed(2) : null,
          },
        }),
      );
    },
    onSuccess: () => {
      message.success(t("insuranceClaim.saved"));
      stepForm.resetFields();
      done();
    },
    onError: (error) => setProblem(showProblem(stepForm, error)),
  });
  return (
    <Card title={t("insuranceClaim.title")}>
      {found.error && <ProblemAlert error={found.error} what={t("insuranceClaim.title")} />}
      {problem !== null && <ProblemAlert error={problem} />}
      {found.isSuccess && !claim && (
        <Form<Report> form={reportForm} name="insurance-report" layout="inline" onFinish={(v) => report.mutate(v)}>
          <Form.Item name="insurer" label={t("insuranceClaim.insurer")} rules={[{ required: true }]}>
            <Input maxLength={64} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="claim_no" label={t("insuranceClaim.claimNo")} rules={[{ required: true }]}>
            <Input maxLength={64} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="referred" valuePropName="checked">
            <Checkbox>{t("insuranceClaim.referred")}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={report.isPending}>
            {t("insuranceClaim.report")}
          </Button>
        </Form>
      )}
      {claim && (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t("insuranceClaim.insurer")}>{claim.insurer}</Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.claimNo")}>{claim.claim_no}</Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.state")}>
              <Tag color={claim.state === "paid" ? TONE.green : TONE.blue}>{t(`insuranceClaim.states.${claim.state}`)}</Tag>
              {claim.referred && <Tag color={TONE.purple}>{t("insuranceClaim.referred")}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.assessed")}>
              {claim.assessed_amount ? `${claim.assessed_amount} · ${claim.assessed_on} · ${claim.assessor}` : "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.excess")}>{claim.excess ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.insurerAmount")}>{claim.insurer_amount ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.paid")}>
              {claim.paid_amount ? `${claim.paid_amount} · ${claim.paid_on}` : "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("insuranceClaim.daysToPay")}>{claim.days_to_pay ?? "—"}</Descriptions.Item>
          </Descriptions>
          {claim.state !== "paid" && (
            <Form<Step>
              form={stepForm}
              name="insurance-step"
              layout="inline"
              initialValues={{ on: dayjs() }}
              onFinish={(v) => step.mutate(v)}
            >
              <Form.Item
                name="amount"
                label={claim.state === "reported" ? t("insuranceClaim.assessedAmount") : t("insuranceClaim.paidAmount")}
                rules={[{ required: true }]}
              >
                <InputNumber<number> min={0} precision={2} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="on" label={t("insuranceClaim.on")} rules={[{ required: true }]}>
                <DatePicker allowClear={false} />
              </Form.Item>
              {claim.state === "reported" && (
                <Space wrap>
                  <Form.Item name="assessor" label={t("insuranceClaim.assessor")} rules={[{ required: true }]}>
                    <Input maxLength={100} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name="excess" label={t("insuranceClaim.excess")} rules={[{ required: true }]}>
                    <InputNumber<number> min={0} precision={2} style={{ width: 120 }} />
                  </Form.Item>
                </Space>
              )}
              <Button type="primary" htmlType="submit" loading={step.isPending}>
                {claim.state === "reported" ? t("insuranceClaim.assess") : t("insuranceClaim.markPaid")}
              </Button>
            </Form>
          )}
        </>
      )}
    </Card>
  );
}
