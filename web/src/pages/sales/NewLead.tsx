import type { components } from "@fours/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, InputNumber, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { SOURCES } from "./vocabulary";

type LeadIn = components["schemas"]["LeadIn"];

/** A walk-in or a call entered in a few keystrokes: name, mobile, source; the rest when known. */
export function NewLead({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<LeadIn>();
  const [problem, setProblem] = useState<unknown>(null);
  const navigate = useNavigate();
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: (body: LeadIn) => call(api.POST("/api/v1/leads", { body })),
    onSuccess: (lead) => {
      void queries.invalidateQueries({ queryKey: ["leads"] });
      void queries.invalidateQueries({ queryKey: ["tasks"] });
      message.success(t("leads.created"));
      form.resetFields();
      onClose();
      navigate(`/sales/leads/${lead.lead_id}`);
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  return (
    <Modal
      open={open}
      title={t("leads.new")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem !== null && <ProblemAlert error={problem} />}
      <Form<LeadIn>
        form={form}
        layout="vertical"
        initialValues={{ source: "showroom" }}
        onFinish={(values) => {
          setProblem(null);
          create.mutate({ ...values, budget: values.budget ?? null });
        }}
      >
        <Form.Item label={t("leads.name")} name={["customer", "name"]} rules={[{ required: true }]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item label={t("common.mobile")} name={["customer", "mobile"]} rules={[{ required: true }]}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item label={t("leads.source")} name="source" rules={[{ required: true }]}>
          <Select options={SOURCES.map((s) => ({ value: s, label: t(`leads.sources.${s}`) }))} />
        </Form.Item>
        <Form.Item label={t("leads.model")} name="model">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t("leads.budget")} name="budget">
          <InputNumber<number> min={0} step={10000} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
