import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Tag, Timeline } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { BookTestDrive } from "./BookTestDrive";
import { Deal } from "./Deal";
import { CONTACT_KINDS, OUTCOMES, STATE_COLOURS } from "./vocabulary";
import { PageTitle } from "../../components/PageTitle";

type Lead = components["schemas"]["Lead"];
type ContactIn = components["schemas"]["ContactIn"];
type TransitionIn = components["schemas"]["TransitionIn"];

/** One lead: who, where in the funnel, every contact; move it on, or mark it lost with a reason. */
export default function LeadPage() {
  const { leadId = "" } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [contactForm] = Form.useForm<ContactIn>();
  const [lostForm] = Form.useForm<TransitionIn>();
  const [losing, setLosing] = useState(false);
  const [contactProblem, setContactProblem] = useState<unknown>(null);
  const [lostProblem, setLostProblem] = useState<unknown>(null);
  const key = ["leads", "one", leadId];
  const lead = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET("/api/v1/leads/{lead_id}", { params: { path: { lead_id: leadId } } })),
  });
  const reasons = useQuery({
    queryKey: ["lost-reasons"],
    queryFn: () => call(api.GET("/api/v1/lost-reasons")),
    enabled: losing,
    staleTime: 300_000,
  });
  const saved = (next: Lead) => {
    queries.setQueryData(key, next);
    void queries.invalidateQueries({ queryKey: ["leads"], exact: false });
    void queries.invalidateQueries({ queryKey: ["tasks"] });
  };
  const move = useMutation({
    mutationFn: (body: TransitionIn) =>
      call(
        api.POST("/api/v1/leads/{lead_id}/transitions", {
          params: { path: { lead_id: leadId }, header: { "if-match": `"${lead.data?.version}"` } },
          body,
        }),
      ),
    onSuccess: (next) => {
      saved(next);
      message.success(t("leads.moved"));
      setLosing(false);
    },
    onError: (error) => setLostProblem(showProblem(lostForm, error)),
  });
  const contact = useMutation({
    mutationFn: (body: ContactIn) =>
      call(api.POST("/api/v1/leads/{lead_id}/contacts", { params: { path: { lead_id: leadId } }, body })),
    onSuccess: (next) => {
      saved(next);
      contactForm.resetFields(["notes"]);
      message.success(t("leads.contactAdded"));
    },
    onError: (error) => setContactProblem(showProblem(contactForm, error)),
  });

  if (lead.error) return <ProblemAlert error={lead.error} onRetry={() => void lead.refetch()} />;
  const data = lead.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        loading={lead.isLoading}
        title={
          <PageTitle>
            {data?.customer_name ?? t("common.customer")}{" "}
            {data && <Tag color={STATE_COLOURS[data.state]}>{t(`leads.states.${data.state}`)}</Tag>}
          </PageTitle>
        }
        extra={
          data && (
            <Space>
              <BookTestDrive lead={data} />
              <Link to={`/customers/${data.customer_id}`}>{t("customer360.title")}</Link>
            </Space>
          )
        }
      >
        {data && (
          <>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
              <Descriptions.Item label={t("common.mobile")}>{data.customer_mobile}</Descriptions.Item>
              <Descriptions.Item label={t("leads.source")}>{t(`leads.sources.${data.source}`)}</Descriptions.Item>
              <Descriptions.Item label={t("leads.model")}>{data.model ?? t("common.none")}</Descriptions.Item>
              <Descriptions.Item label={t("leads.budget")}>{data.budget ?? t("common.none")}</Descriptions.Item>
              <Descriptions.Item label={t("leads.owner")}>{data.owner_no ?? t("common.none")}</Descriptions.Item>
              <Descriptions.Item label={t("leads.nextFollowUp")}>{data.next_follow_up ?? t("common.none")}</Descriptions.Item>
              {data.state === "lost" && (
                <Descriptions.Item label={t("leads.lostReason")}>{data.lost_reason}</Descriptions.Item>
              )}
            </Descriptions>
            {move.error && !losing && <ProblemAlert error={move.error} />}
            <Space wrap style={{ marginTop: 12 }}>
              <span>{t("leads.move")}</span>
              {(data.allowed_transitions ?? [])
                .filter((to) => to !== "lost")
                .map((to) => (
                  <Button key={to} onClick={() => move.mutate({ to: to as TransitionIn["to"] })} loading={move.isPending && move.variables?.to === to}>
                    {t(`leads.states.${to}`)}
                  </Button>
                ))}
              {(data.allowed_transitions ?? []).includes("lost") && (
                <Button danger onClick={() => setLosing(true)}>
                  {t("leads.lost")}
                </Button>
              )}
            </Space>
          </>
        )}
      </Card>
      {data && <Deal lead={data} />}
      <Card title={t("leads.contacts")}>
        <Timeline
          items={(data?.contacts ?? []).map((c) => ({
            key: c.id,
            children: (
              <span>
                {dayjs(c.at).format("MM-DD HH:mm")} · {t(`leads.contactKinds.${c.kind}`)} · {t(`leads.outcomes.${c.outcome}`)}
                {c.notes ? ` · ${c.notes}` : ""}
              </span>
            ),
          }))}
        />
        {contactProblem !== null && <ProblemAlert error={contactProblem} />}
        <Form<ContactIn>
          form={contactForm}
          layout="inline"
          initialValues={{ kind: "call", outcome: "reached", next_follow_up: dayjs().add(1, "day").format("YYYY-MM-DD") }}
          onFinish={(values) => {
            setContactProblem(null);
            contact.mutate({ ...values, next_follow_up: values.next_follow_up || null });
          }}
        >
          <Form.Item name="kind" label={t("leads.contactKind")}>
            <Select style={{ width: 100 }} options={CONTACT_KINDS.map((k) => ({ value: k, label: t(`leads.contactKinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="outcome" label={t("leads.outcome")}>
            <Select style={{ width: 130 }} options={OUTCOMES.map((o) => ({ value: o, label: t(`leads.outcomes.${o}`) }))} />
          </Form.Item>
          <Form.Item name="notes" label={t("common.notes")}>
            <Input maxLength={4000} />
          </Form.Item>
          <Form.Item name="next_follow_up" label={t("leads.nextFollowUp")}>
            <Input type="date" />
          </Form.Item>
          <Button htmlType="submit" loading={contact.isPending}>
            {t("leads.addContact")}
          </Button>
        </Form>
      </Card>
      <Modal
        open={losing}
        title={t("leads.lost")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => lostForm.submit()}
        okButtonProps={{ danger: true, loading: move.isPending }}
        onCancel={() => setLosing(false)}
      >
        {reasons.error && <ProblemAlert error={reasons.error} />}
        {lostProblem !== null && <ProblemAlert error={lostProblem} />}
        <Form<TransitionIn>
          form={lostForm}
          layout="vertical"
          onFinish={(values) => {
            setLostProblem(null);
            move.mutate({ to: "lost", lost_reason: values.lost_reason, lost_note: values.lost_note || null });
          }}
        >
          <Form.Item name="lost_reason" label={t("leads.lostReason")} rules={[{ required: true }]}>
            <Select loading={reasons.isLoading} options={(reasons.data ?? []).map((r) => ({ value: r.code, label: r.label }))} />
          </Form.Item>
          <Form.Item name="lost_note" label={t("leads.lostNote")}>
            <Input.TextArea maxLength={2000} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
