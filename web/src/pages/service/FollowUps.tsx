import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Drawer, Form, Input, InputNumber, Radio, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { SURVEY_ITEMS } from "./survey";
import { PageTitle } from "../../components/PageTitle";

type FollowUp = components["schemas"]["FollowUp"];
type AttemptIn = components["schemas"]["AttemptIn"];
interface CallForm {
  outcome: AttemptIn["outcome"];
  scores: Record<string, number | null>;
  comments?: string;
  unhappy?: boolean;
  severity?: AttemptIn["severity"];
}

/** The follow-up caller's queue: calls due today (overdue first) and a form for what the owner said. */
export default function FollowUps() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [tab, setTab] = useState<"today" | "overdue">("today");
  const [calling, setCalling] = useState<FollowUp | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<CallForm>();
  const today = dayjs().format("YYYY-MM-DD");
  const queue = useQuery({
    queryKey: ["follow-ups", tab],
    queryFn: () =>
      call(
        api.GET("/api/v1/follow-ups", {
          params: { query: tab === "overdue" ? { status: "open", overdue: true, limit: 200 } : { status: "open", due_by: today, limit: 200 } },
        }),
      ),
  });
  const attempt = useMutation({
    mutationFn: ({ id, body }: { id: string; body: AttemptIn }) =>
      call(api.POST("/api/v1/follow-ups/{call_id}/attempts", { params: { path: { call_id: id } }, body })),
    onSuccess: (done) => {
      message.success(done.complaint_id ? t("followUps.complaintOpened") : t("followUps.saved"));
      setCalling(null);
      form.resetFields();
      void queries.invalidateQueries({ queryKey: ["follow-ups"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const submit = (values: CallForm) => {
    if (!calling) return;
    setProblem(null);
    const scores = Object.fromEntries(Object.entries(values.scores ?? {}).filter(([, v]) => typeof v === "number")) as Record<string, number>;
    attempt.mutate({
      id: calling.id,
      body:
        values.outcome === "reached"
          ? { outcome: "reached", scores, comments: values.comments ?? "", unhappy: values.unhappy ?? false, severity: values.severity ?? "minor" }
          : { outcome: "no_answer", comments: values.comments ?? "" },
    });
  };
  const outcome = Form.useWatch("outcome", form);
  return (
    <Card
      title={
        <PageTitle>
          {t("followUps.title")}
        </PageTitle>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as "today" | "overdue")}
        items={[
          { key: "today", label: t("followUps.dueToday") },
          { key: "overdue", label: t("followUps.overdue") },
        ]}
      />
      {queue.error && <ProblemAlert error={queue.error} what={t("followUps.title")} onRetry={() => void queue.refetch()} />}
      <Table
        rowKey="id"
        loading={queue.isLoading}
        dataSource={queue.data?.items ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t("followUps.empty") }}
        columns={[
          {
            title: t("followUps.due"),
            dataIndex: "due_date",
            render: (due: string, row) => (
              <Space>
                {due}
                {row.overdue && <Tag color={TONE.red}>{t("tasks.overdue")}</Tag>}
              </Space>
            ),
          },
          { title: t("followUps.kind"), dataIndex: "kind", render: (kind: string) => t(`followUps.kinds.${kind}`) },
          {
            title: t("followUps.owner"),
            dataIndex: "owner_name",
            render: (name: string | null, row) =>
              row.owner_customer_id ? <Link to={`/customers/${row.owner_customer_id}`}>{name}</Link> : name,
          },
          { title: t("common.mobile"), dataIndex: "owner_mobile" },
          { title: t("followUps.car"), render: (_: unknown, row) => `${row.model ?? ""} ${row.vin}` },
          { title: t("followUps.attempts"), dataIndex: "attempts" },
          {
            title: t("common.actions"),
            render: (_: unknown, row) => (
              <Button
                type="primary"
                size="small"
                onClick={() => {
                  setProblem(null);
                  form.resetFields();
                  setCalling(row);
                }}
              >
                {t("followUps.call")}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={calling !== null}
        onClose={() => setCalling(null)}
        title={`${t("followUps.call")} · ${calling?.owner_name ?? ""} ${calling?.owner_mobile ?? ""}`}
        size="large"
        extra={
          <Button type="primary" loading={attempt.isPending} onClick={() => form.submit()}>
            {t("common.save")}
          </Button>
        }
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<CallForm> form={form} layout="vertical" initialValues={{ outcome: "reached", severity: "minor" }} onFinish={submit}>
          <Form.Item name="outcome" label={t("followUps.outcome")}>
            <Radio.Group
              options={[
                { value: "reached", label: t("followUps.reached") },
                { value: "no_answer", label: t("followUps.noAnswer") },
              ]}
            />
          </Form.Item>
          {outcome === "reached" && (
            <>
              <Typography.Paragraph>{t("followUps.scoreHint")}</Typography.Paragraph>
              {SURVEY_ITEMS.map((item) => (
                <Form.Item key={item} name={["scores", item]} label={t(`followUps.items.${item}`)}>
                  <InputNumber<number> min={1} max={10} precision={0} style={{ width: 120 }} />
                </Form.Item>
              ))}
              <Form.Item name="unhappy" valuePropName="checked">
                <Checkbox>{t("followUps.unhappy")}</Checkbox>
              </Form.Item>
              <Form.Item name="severity" label={t("followUps.severity")}>
                <Select
                  style={{ width: 160 }}
                  options={(["minor", "major", "critical"] as const).map((s) => ({ value: s, label: t(`followUps.severities.${s}`) }))}
                />
              </Form.Item>
            </>
          )}
          <Form.Item name="comments" label={t("followUps.comments")}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
      </Drawer>
    </Card>
  );
}
